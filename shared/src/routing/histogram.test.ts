import { describe, expect, it } from 'vitest'
import { BUCKET_COUNT, bucketOf, DecayingHistogram, mergeBuckets, quantile } from './histogram.ts'

describe('p90 sketch (fixed log buckets, decayed)', () => {
  it('golden values: uniform 1..1000 ms and a bimodal 100/2000 ms', () => {
    const h = new DecayingHistogram(60_000, 0)
    for (let v = 1; v <= 1000; v++) h.observe(v, 0)
    // True p90 is 900; the sketch is within one bucket (20 %) and exactly reproducible.
    expect(Math.round(h.quantile(0.9, 0) ?? 0)).toBe(907)
    expect(Math.round(h.quantile(0.5, 0) ?? 0)).toBe(500)
    const bimodal = new DecayingHistogram(60_000, 0)
    for (let i = 0; i < 85; i++) bimodal.observe(100, 0)
    for (let i = 0; i < 15; i++) bimodal.observe(2000, 0)
    const p90 = bimodal.quantile(0.9, 0) ?? 0
    expect(p90).toBeGreaterThan(1700)
    expect(p90).toBeLessThan(2100)
    expect(Math.round(p90)).toBe(1881)
  })

  it('holds bounded memory whatever the values', () => {
    expect(bucketOf(0)).toBe(0)
    expect(bucketOf(-5)).toBe(0)
    expect(bucketOf(Number.NaN)).toBe(0)
    expect(bucketOf(1e12)).toBe(BUCKET_COUNT - 1)
    const h = new DecayingHistogram(60_000, 0)
    for (let i = 0; i < 10_000; i++) h.observe(Math.random() * 1e7, 0)
    expect(Object.keys(h.read(0)).length).toBeLessThanOrEqual(BUCKET_COUNT)
  })

  it('forgets: after a few half-lives the recent behaviour dominates', () => {
    const h = new DecayingHistogram(1000, 0)
    for (let i = 0; i < 100; i++) h.observe(5000, 0)
    for (let i = 0; i < 20; i++) h.observe(200, 5000)
    // 100 × 2^-5 ≈ 3 old samples against 20 new ones.
    expect(h.quantile(0.8, 5000)).toBeLessThan(250)
  })

  it('merges replicas by adding weights', () => {
    const a = new DecayingHistogram(60_000, 0)
    const b = new DecayingHistogram(60_000, 0)
    for (let i = 0; i < 90; i++) a.observe(100, 0)
    for (let i = 0; i < 10; i++) b.observe(3000, 0)
    const merged = mergeBuckets(a.read(0), b.read(0))
    expect(quantile(merged, 0.5)).toBeLessThan(121)
    expect(quantile(merged, 0.95)).toBeGreaterThan(2500)
    expect(quantile({}, 0.9)).toBeNull()
  })
})
