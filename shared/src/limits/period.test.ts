import { describe, expect, it } from 'vitest'
import { createPeriodWindows, periodWindow } from './period.ts'

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString())
const at = (s: string) => Date.parse(s)
const window = (...args: Parameters<typeof periodWindow>) => {
  const w = periodWindow(...args)
  return { start: iso(w.start), end: iso(w.end) }
}

describe('periodWindow', () => {
  it('aligns days, ISO weeks and months in UTC', () => {
    expect(window('day', 'UTC', at('2026-03-10T15:00:00Z'))).toEqual({ start: '2026-03-10T00:00:00.000Z', end: '2026-03-11T00:00:00.000Z' })
    // 2026-03-15 is a Sunday: its ISO week began on Monday the 9th.
    expect(window('week', 'UTC', at('2026-03-15T23:59:59Z'))).toEqual({ start: '2026-03-09T00:00:00.000Z', end: '2026-03-16T00:00:00.000Z' })
    expect(window('week', 'UTC', at('2026-03-16T00:00:00Z'))).toEqual({ start: '2026-03-16T00:00:00.000Z', end: '2026-03-23T00:00:00.000Z' })
    expect(window('month', 'UTC', at('2026-12-31T23:59:59.999Z'))).toEqual({ start: '2026-12-01T00:00:00.000Z', end: '2027-01-01T00:00:00.000Z' })
  })

  it('has one lifetime window', () => {
    expect(periodWindow('lifetime', 'Europe/Berlin', Date.now())).toEqual({ start: 0, end: null })
  })

  it("uses the team's zone: the same instant is a different day in Tokyo and Los Angeles", () => {
    const instant = at('2026-06-01T02:00:00Z')
    expect(window('day', 'Asia/Tokyo', instant)).toEqual({ start: '2026-05-31T15:00:00.000Z', end: '2026-06-01T15:00:00.000Z' })
    expect(window('day', 'America/Los_Angeles', instant)).toEqual({ start: '2026-05-31T07:00:00.000Z', end: '2026-06-01T07:00:00.000Z' })
    expect(window('month', 'America/Los_Angeles', instant)).toEqual({ start: '2026-05-01T07:00:00.000Z', end: '2026-06-01T07:00:00.000Z' })
    expect(window('month', 'Asia/Tokyo', instant)).toEqual({ start: '2026-05-31T15:00:00.000Z', end: '2026-06-30T15:00:00.000Z' })
  })

  it('gives a 23-hour and a 25-hour day across DST changes (Europe/Berlin)', () => {
    const spring = periodWindow('day', 'Europe/Berlin', at('2026-03-29T12:00:00Z'))
    expect(iso(spring.start)).toBe('2026-03-28T23:00:00.000Z')
    expect(iso(spring.end)).toBe('2026-03-29T22:00:00.000Z')
    const autumn = periodWindow('day', 'Europe/Berlin', at('2026-10-25T12:00:00Z'))
    expect(iso(autumn.start)).toBe('2026-10-24T22:00:00.000Z')
    expect(iso(autumn.end)).toBe('2026-10-25T23:00:00.000Z')
    expect((autumn.end ?? 0) - autumn.start).toBe(25 * 3600_000)
    // A week spanning the change is 167 hours long.
    const week = periodWindow('week', 'Europe/Berlin', at('2026-03-29T12:00:00Z'))
    expect(iso(week.start)).toBe('2026-03-22T23:00:00.000Z')
    expect((week.end ?? 0) - week.start).toBe(167 * 3600_000)
  })

  it('starts a day once when DST skips midnight (America/Santiago)', () => {
    // Chile springs forward at 24:00 on 2026-09-05: 6 September begins at 01:00 local (04:00Z).
    const w = periodWindow('day', 'America/Santiago', at('2026-09-06T12:00:00Z'))
    expect(iso(w.start)).toBe('2026-09-06T04:00:00.000Z')
    expect(iso(w.end)).toBe('2026-09-07T03:00:00.000Z')
    expect(periodWindow('day', 'America/Santiago', at('2026-09-06T03:59:59Z')).end).toBe(w.start)
  })

  it('handles month ends, leap years and the instant at a boundary', () => {
    expect(window('month', 'UTC', at('2028-02-29T10:00:00Z'))).toEqual({ start: '2028-02-01T00:00:00.000Z', end: '2028-03-01T00:00:00.000Z' })
    expect(window('day', 'UTC', at('2026-01-31T00:00:00Z'))).toEqual({ start: '2026-01-31T00:00:00.000Z', end: '2026-02-01T00:00:00.000Z' })
    const w = periodWindow('month', 'Europe/Berlin', at('2026-03-31T22:00:00Z')) // 00:00 on 1 April in Berlin
    expect(iso(w.start)).toBe('2026-03-31T22:00:00.000Z')
  })

  it('covers time with no gaps: every window ends where the next begins', () => {
    let t = at('2026-01-01T00:00:00Z')
    for (const period of ['day', 'week', 'month'] as const) {
      let w = periodWindow(period, 'America/New_York', t)
      for (let i = 0; i < 60; i++) {
        const next = periodWindow(period, 'America/New_York', w.end ?? 0)
        expect(next.start).toBe(w.end)
        expect(periodWindow(period, 'America/New_York', (w.end ?? 0) - 1).start).toBe(w.start)
        w = next
      }
      t += 1
    }
  })

  it('rejects an unknown time zone', () => {
    expect(() => periodWindow('day', 'Mars/Olympus', Date.now())).toThrow(RangeError)
  })

  it('reuses a window while the instant stays inside it', () => {
    const windows = createPeriodWindows()
    const a = windows('day', 'UTC', at('2026-03-10T01:00:00Z'))
    expect(windows('day', 'UTC', at('2026-03-10T23:00:00Z'))).toBe(a)
    expect(windows('day', 'UTC', at('2026-03-11T00:00:00Z')).start).toBe(a.end)
  })
})
