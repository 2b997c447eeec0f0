import { describe, expect, it } from 'vitest'
import { backoffDelayMs, retryAfterMs } from './backoff.ts'

describe('G-REL-14 backoff with full jitter', () => {
  it('draws uniformly below min(cap, base × 2^(attempt−1))', () => {
    const top = () => 0.999999
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelayMs(n, { baseMs: 100, capMs: 1000, rng: top }))).toEqual([99, 199, 399, 799, 999, 999])
    expect(backoffDelayMs(3, { baseMs: 100, capMs: 1000, rng: () => 0.5 })).toBe(200)
    expect(backoffDelayMs(2, { baseMs: 100, rng: () => 0 })).toBe(0)
  })

  it('never exceeds the cap, even for absurd attempt numbers', () => {
    expect(backoffDelayMs(1e9, { baseMs: 250, capMs: 10_000, rng: () => 0.999 })).toBe(9990)
    expect(backoffDelayMs(0, { baseMs: 250, rng: () => 0.5 })).toBe(125)
  })
})

describe('G-REL-14 retry-after parsing', () => {
  const now = Date.parse('2026-12-04T20:00:00Z')

  it('reads delta-seconds and an HTTP date', () => {
    expect(retryAfterMs({ 'retry-after': '2' }, now)).toBe(2000)
    expect(retryAfterMs({ 'Retry-After': 'Fri, 04 Dec 2026 20:00:07 GMT' }, now)).toBe(7000)
    // A date already past means "now".
    expect(retryAfterMs({ 'retry-after': 'Fri, 04 Dec 2026 19:59:00 GMT' }, now)).toBe(0)
  })

  it('prefers the millisecond headers of OpenAI and Azure', () => {
    expect(retryAfterMs(new Headers({ 'retry-after': '2', 'retry-after-ms': '1500' }), now)).toBe(1500)
    expect(retryAfterMs(new Map([['x-ms-retry-after-ms', '250.4']]), now)).toBe(251)
  })

  it('answers Infinity above the cap and null for nothing usable', () => {
    expect(retryAfterMs({ 'retry-after': '3600' }, now)).toBe(Number.POSITIVE_INFINITY)
    expect(retryAfterMs({ 'retry-after': '30' }, now, { maxMs: 10_000 })).toBe(Number.POSITIVE_INFINITY)
    expect(retryAfterMs({}, now)).toBeNull()
    expect(retryAfterMs({ 'retry-after': 'soon' }, now)).toBeNull()
    expect(retryAfterMs({ 'retry-after': '-5' }, now)).toBeNull()
    expect(retryAfterMs({ 'retry-after-ms': 'NaN', 'retry-after': '1' }, now)).toBe(1000)
  })
})
