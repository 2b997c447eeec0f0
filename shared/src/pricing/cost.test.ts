import { describe, expect, it } from 'vitest'
import { costOf, pricesFor } from './cost.ts'
import { formatUsd } from './money.ts'
import { priceFor } from './price-for.ts'
import { usageOf } from './usage.ts'

describe('costOf', () => {
  it('prices each partition by its own unit, falling back along the unit lattice', () => {
    const prices = { input: 3_000_000_000, cacheWrite: 3_750_000_000, output: 15_000_000_000 }
    const usage = usageOf({ inputTokens: 1_000_000, cacheWrite1hTokens: 1_000_000, cacheReadTokens: 1_000_000, reasoningTokens: 1_000_000, outputAudioTokens: 1_000_000 })
    // 1 h writes pay the cache-write price, cache reads (no own price) the input price, reasoning and audio the output price.
    expect(formatUsd(costOf(usage, { prices, tiers: [] }).nanoUsd)).toBe(String(3 + 3.75 + 3 + 15 + 15))
    expect(formatUsd(costOf(usage, { prices: { ...prices, reasoning: 1_000_000_000 }, tiers: [] }).nanoUsd)).toBe(String(3 + 3.75 + 3 + 1 + 15))
  })

  it('names partitions it cannot price instead of costing them at 0 silently', () => {
    const cost = costOf(usageOf({ inputTokens: 10, outputTokens: 5 }), { prices: { input: 100_000_000 }, tiers: [] })
    expect(cost.unpriced).toEqual(['outputTokens'])
    expect(cost.femtoUsd).toBe(1_000_000_000n)
  })

  it('charges a per-request price once per request', () => {
    const cost = costOf(usageOf({ inputTokens: 0 }), { prices: { requests: 5_000_000_000 }, tiers: [] })
    expect(formatUsd(cost.nanoUsd)).toBe('0.005')
  })

  it('rounds half up to nano-USD once, after an exact femto-USD sum', () => {
    const price = { prices: { input: 1 }, tiers: [] }
    expect(costOf(usageOf({ inputTokens: 500_000 }), price)).toMatchObject({ femtoUsd: 500_000n, nanoUsd: 1n })
    expect(costOf(usageOf({ inputTokens: 499_999 }), price)).toMatchObject({ femtoUsd: 499_999n, nanoUsd: 0n })
    // Three partitions of 0.4 nano each: rounding each would give 0, rounding the sum gives 1.
    const three = costOf(usageOf({ inputTokens: 400_000, cacheReadTokens: 400_000, outputTokens: 400_000 }), { prices: { input: 1, cacheRead: 1, output: 1 }, tiers: [] })
    expect(three).toMatchObject({ femtoUsd: 1_200_000n, nanoUsd: 1n })
  })

  it('stays exact where floats drift: 7 × 0.1 USD is 0.7 USD', () => {
    // gpt-4.1-nano-like $0.10/MTok, 7,000,000 tokens: float 7 * 0.1 is 0.7000000000000001.
    const cost = costOf(usageOf({ inputTokens: 7_000_000 }), { prices: { input: 100_000_000 }, tiers: [] })
    expect(formatUsd(cost.nanoUsd)).toBe('0.7')
  })

  it('holds amounts beyond float-safe femto sums exactly', () => {
    const cost = costOf(usageOf({ inputTokens: 2_000_000_000, outputTokens: 2_000_000_000 }), { prices: { input: 150_000_000_000, output: 600_000_000_000 }, tiers: [] })
    expect(cost.femtoUsd).toBe(1_500_000_000_000_000_000_000n)
    expect(formatUsd(cost.nanoUsd)).toBe('1500000')
  })
})

describe('prompt-size tiers', () => {
  it('lays each passed tier over the base, judged on the whole prompt', () => {
    const price = { prices: { input: 1, output: 2 }, tiers: [{ promptTokensAbove: 200, prices: { input: 10, output: 20 } }, { promptTokensAbove: 100, prices: { input: 5 } }] }
    expect(pricesFor(price, 100)).toEqual({ input: 1, output: 2 })
    expect(pricesFor(price, 101)).toEqual({ input: 5, output: 2 })
    expect(pricesFor(price, 201)).toEqual({ input: 10, output: 20 })
  })

  it('charges Gemini 2.5 Pro above 200k prompt tokens at $2.50/$15 for the whole call', () => {
    const price = priceFor({ provider: 'google', model: 'gemini-2.5-pro', at: new Date('2026-12-01') })!
    expect(formatUsd(costOf(usageOf({ inputTokens: 300_000 }), price).nanoUsd)).toBe('0.75')
    expect(formatUsd(costOf(usageOf({ inputTokens: 200_000 }), price).nanoUsd)).toBe('0.25')
    // Cached tokens count toward the threshold: 150k fresh + 60k cached is a long-context call.
    expect(formatUsd(costOf(usageOf({ inputTokens: 150_000, cacheReadTokens: 60_000 }), price).nanoUsd)).toBe('0.39')
  })
})
