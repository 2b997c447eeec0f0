import { PRICE_UNITS, type PriceSet, type PriceTier, type PriceUnit } from './catalogue-schema.ts'
import { femtoToNanos } from './money.ts'
import { type NormalisedUsage, promptTokensOf } from './usage.ts'

// Exact cost: every partition × its price in femto-USD (bigint), summed, rounded half-up to
// nano-USD once. A token unit priced P nano-USD per 1,000,000 tokens costs P femto-USD per token,
// so the femto sum is exact; the one rounding loses at most half a nano-USD per request.

/**
 * Which price each partition pays, most specific first: genai-prices' unit lattice (a token
 * falls back to its parent unit when its own is not priced; reasoning to output, a 1 h cache write
 * to the cache-write price, audio to plain input/output).
 */
export const PRICE_FALLBACKS: Record<keyof NormalisedUsage, PriceUnit[]> = {
  inputTokens: ['input'],
  cacheReadTokens: ['cacheRead', 'input'],
  cacheWriteTokens: ['cacheWrite', 'input'],
  cacheWrite1hTokens: ['cacheWrite1h', 'cacheWrite', 'input'],
  inputAudioTokens: ['inputAudio', 'input'],
  cacheReadAudioTokens: ['cacheReadAudio', 'cacheRead', 'inputAudio', 'input'],
  outputTokens: ['output'],
  reasoningTokens: ['reasoning', 'output'],
  outputAudioTokens: ['outputAudio', 'output'],
  webSearches: ['webSearches'],
}

const FEMTO_PER_UNIT_PRICE: Record<(typeof PRICE_UNITS)[PriceUnit], bigint> = {
  mtok: 1n, // P nano-USD / 1e6 tokens = P femto-USD per token
  kcount: 1_000n, // P nano-USD / 1e3 = 1,000·P femto-USD per count
}

export interface PriceToApply {
  prices: PriceSet
  tiers: readonly PriceTier[]
}

export interface Cost {
  /** Rounded half-up once: what the ledger stores and the API shows (formatUsd). */
  nanoUsd: bigint
  /** The exact amount before that rounding. */
  femtoUsd: bigint
  /** Partitions with tokens but no price on their fallback chain: the cost leaves them out. */
  unpriced: (keyof NormalisedUsage)[]
}

/** The base prices with every tier the prompt passes laid over them, in tier order. */
export function pricesFor(price: PriceToApply, promptTokens: number): PriceSet {
  let prices: PriceSet = price.prices
  for (const tier of [...price.tiers].sort((a, b) => a.promptTokensAbove - b.promptTokensAbove)) {
    if (promptTokens > tier.promptTokensAbove) prices = { ...prices, ...tier.prices }
  }
  return prices
}

export function costOf(usage: NormalisedUsage, price: PriceToApply): Cost {
  const prices = pricesFor(price, promptTokensOf(usage))
  let femtoUsd = 0n
  const unpriced: (keyof NormalisedUsage)[] = []
  for (const [partition, chain] of Object.entries(PRICE_FALLBACKS) as [keyof NormalisedUsage, PriceUnit[]][]) {
    const count = usage[partition]
    if (count === 0) continue
    const unit = chain.find((u) => prices[u] !== undefined)
    if (unit === undefined) {
      unpriced.push(partition)
      continue
    }
    femtoUsd += BigInt(count) * BigInt(prices[unit] ?? 0) * FEMTO_PER_UNIT_PRICE[PRICE_UNITS[unit]]
  }
  if (prices.requests !== undefined) femtoUsd += BigInt(prices.requests) * FEMTO_PER_UNIT_PRICE.kcount
  return { nanoUsd: femtoToNanos(femtoUsd), femtoUsd, unpriced }
}
