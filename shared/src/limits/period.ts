import type { BudgetPeriod } from './ports.ts'

export interface PeriodWindow {
  /** First instant of the window (epoch ms); 0 for lifetime. */
  start: number
  /** First instant of the next window (epoch ms); null for lifetime. */
  end: number | null
}

const DAY_MS = 86_400_000
const formatters = new Map<string, Intl.DateTimeFormat>()

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone)
  if (!formatter) {
    // Throws RangeError on an unknown zone: a clear error at the caller, never a silent UTC.
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    })
    formatters.set(timeZone, formatter)
  }
  return formatter
}

interface WallClock {
  year: number
  month: number // 1-12
  day: number
}

/** The wall-clock time at `at` in `timeZone`, as if it were UTC (epoch ms). */
function wallClockMs(timeZone: string, at: number): number {
  const parts: Record<string, number> = {}
  for (const part of formatterFor(timeZone).formatToParts(at)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value)
  }
  const { year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0 } = parts
  return Date.UTC(year, month - 1, day, hour, minute, second) + (at % 1000 + 1000) % 1000
}

function offsetAt(timeZone: string, at: number): number {
  return wallClockMs(timeZone, at) - at
}

/**
 * The first instant whose wall clock in `timeZone` reads `wall` (a local time written as UTC ms).
 * When DST repeats that time, the earlier instant; when DST skips it (a midnight gap), the
 * instant the clocks jump, so a day that "starts" at 01:00 still starts exactly once.
 */
function instantOfWallClock(timeZone: string, wall: number): number {
  const before = offsetAt(timeZone, wall - DAY_MS)
  const after = offsetAt(timeZone, wall + DAY_MS)
  const candidates = [wall - before, wall - after].filter((t) => wallClockMs(timeZone, t) === wall)
  if (candidates.length > 0) return Math.min(...candidates)
  return wall - before
}

function wallDate(timeZone: string, at: number): WallClock {
  const wall = new Date(wallClockMs(timeZone, at))
  return { year: wall.getUTCFullYear(), month: wall.getUTCMonth() + 1, day: wall.getUTCDate() }
}

function localMidnight(timeZone: string, date: WallClock, addDays = 0, addMonths = 0): number {
  return instantOfWallClock(timeZone, Date.UTC(date.year, date.month - 1 + addMonths, date.day + addDays))
}

/**
 * The budget window containing `at`: calendar days, ISO weeks (Monday first) and months in the
 * team's time zone, or the one lifetime window. Pure; the store keys a window by its start, so a
 * new period starts at 0 by itself.
 */
export function periodWindow(period: BudgetPeriod, timeZone: string, at: number): PeriodWindow {
  if (period === 'lifetime') return { start: 0, end: null }
  const today = wallDate(timeZone, at)
  if (period === 'day') return { start: localMidnight(timeZone, today), end: localMidnight(timeZone, today, 1) }
  if (period === 'week') {
    const weekday = new Date(Date.UTC(today.year, today.month - 1, today.day)).getUTCDay() // 0 = Sunday
    const monday = { ...today, day: today.day - ((weekday + 6) % 7) }
    return { start: localMidnight(timeZone, monday), end: localMidnight(timeZone, monday, 7) }
  }
  const first = { ...today, day: 1 }
  return { start: localMidnight(timeZone, first), end: localMidnight(timeZone, first, 0, 1) }
}

/** periodWindow with the last answer per (period, zone) reused while `at` stays inside it: the hot path. */
export function createPeriodWindows(): (period: BudgetPeriod, timeZone: string, at: number) => PeriodWindow {
  const cache = new Map<string, PeriodWindow>()
  return (period, timeZone, at) => {
    const id = `${period}|${timeZone}`
    const hit = cache.get(id)
    if (hit && at >= hit.start && (hit.end === null || at < hit.end)) return hit
    const window = periodWindow(period, timeZone, at)
    if (cache.size > 1000) cache.clear()
    cache.set(id, window)
    return window
  }
}
