import { describe, expect, it } from 'vitest'
import { pickLowestLatency } from './latency.ts'
import type { LatencyView } from './ports.ts'

const view = (id: string, ewmaTtftMs: number | null, samples = 10, ewmaLatencyMs: number | null = null): LatencyView => ({ id, ewmaTtftMs, ewmaLatencyMs, samples, p90TtftMs: null })

describe('lowest-latency pick', () => {
  const views = [view('slow', 900), view('fast', 100), view('mid', 400)]

  it('picks the lowest EWMA, and explores another target at the given rate', () => {
    expect(pickLowestLatency(views, { rng: () => 0.5 })).toBe('fast')
    // rng below explore: a uniformly chosen other target (0.99 → the last of the others).
    const draws = [0.01, 0.99]
    expect(pickLowestLatency(views, { explore: 0.05, rng: () => draws.shift() ?? 0 })).toBe('slow')
    let explored = 0
    for (let i = 0; i < 10_000; i++) if (pickLowestLatency(views, { explore: 0.05 }) !== 'fast') explored += 1
    expect(explored).toBeGreaterThan(350)
    expect(explored).toBeLessThan(650)
  })

  it('measures an unmeasured target first, and can rank by total latency', () => {
    expect(pickLowestLatency([...views, view('new', null, 0)])).toBe('new')
    expect(pickLowestLatency([view('a', 100, 10, 5000), view('b', 300, 10, 800)], { metric: 'latency', explore: 0 })).toBe('b')
    expect(pickLowestLatency([])).toBeNull()
  })
})
