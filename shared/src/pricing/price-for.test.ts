import { describe, expect, it } from 'vitest'
import { compileCatalogue } from './catalogue.ts'
import { CATALOGUE_SCHEMA_VERSION, type PriceRow } from './catalogue-schema.ts'
import { costOf } from './cost.ts'
import { formatUsd } from './money.ts'
import { PriceOverride, priceFor } from './price-for.ts'
import { usageOf } from './usage.ts'

function row(over: Partial<PriceRow>): PriceRow {
  return { provider: 'openai', model: 'model-x', source: 'test', match: { equals: 'model-x' }, effectiveFrom: null, effectiveTo: null, prices: {}, tiers: [], uncarried: [], ...over }
}

// A synthetic catalogue: model-x's price changes on 2026-03-01 and again on 2026-09-01.
const synthetic = compileCatalogue({
  schemaVersion: CATALOGUE_SCHEMA_VERSION,
  catalogueVersion: 'test@1',
  source: { package: 'test', version: '1' },
  units: { mtok: 'nano-USD per 1,000,000 tokens', kcount: 'nano-USD per 1,000' },
  rows: [
    row({ effectiveTo: '2026-03-01T00:00:00.000Z', prices: { input: 4_000_000_000, output: 16_000_000_000 } }),
    row({ effectiveFrom: '2026-09-01T00:00:00.000Z', prices: { input: 1_000_000_000, output: 4_000_000_000 } }),
    row({ effectiveFrom: '2026-03-01T00:00:00.000Z', effectiveTo: '2026-09-01T00:00:00.000Z', prices: { input: 2_000_000_000, output: 8_000_000_000 } }),
    row({ model: 'model-y-2025-05-14', match: { equals: 'model-y-2025-05-14' }, prices: { input: 1_000_000_000 } }),
  ],
})
const usage = usageOf({ inputTokens: 1_000_000, outputTokens: 1_000_000 })
const costAt = (at: string) => {
  const price = priceFor({ provider: 'openai', model: 'model-x', at: new Date(at), catalogue: synthetic })
  return price ? formatUsd(costOf(usage, price).nanoUsd) : null
}

describe('priceFor effective dates', () => {
  it('applies a price change from its date and keeps old calls at the price of their day', () => {
    expect(costAt('2025-12-31T12:00:00Z')).toBe('20')
    expect(costAt('2026-02-28T23:59:59.999Z')).toBe('20')
    expect(costAt('2026-03-01T00:00:00Z')).toBe('10')
    expect(costAt('2026-08-31T23:59:59.999Z')).toBe('10')
    expect(costAt('2026-09-01T00:00:00Z')).toBe('5')
    expect(costAt('2030-01-01T00:00:00Z')).toBe('5')
  })

  it('follows o3’s real price cut on 2025-06-10 in the bundled catalogue', () => {
    const at = (iso: string) => priceFor({ provider: 'openai', model: 'o3', at: new Date(iso) })?.prices.input
    expect(at('2025-06-09T23:59:59.999Z')).toBe(10_000_000_000)
    expect(at('2025-06-10T00:00:00Z')).toBe(2_000_000_000)
  })

  it('retries a compact date spelled out, as genai-prices does', () => {
    expect(priceFor({ provider: 'openai', model: 'model-y-20250514', at: new Date(), catalogue: synthetic })?.model).toBe('model-y-2025-05-14')
    expect(priceFor({ provider: 'openai', model: 'model-y-20250231', at: new Date(), catalogue: synthetic })).toBeNull()
  })

  it('matches ids case-insensitively and ignores surrounding space', () => {
    expect(priceFor({ provider: 'openai', model: '  GPT-4o ', at: new Date('2026-12-01') })?.model).toBe('gpt-4o')
  })
})

describe('priceFor unpriced', () => {
  it('answers null (unpriced, never a zero price) for an unknown model, provider or instant', () => {
    expect(priceFor({ provider: 'openai', model: 'gpt-unknown-9', at: new Date() })).toBeNull()
    expect(priceFor({ provider: 'anthropic', model: 'gpt-4o', at: new Date() })).toBeNull()
    expect(priceFor({ provider: 'openai-compatible', model: 'gpt-4o', at: new Date() })).toBeNull()
    expect(priceFor({ provider: 'deepinfra', model: 'gpt-4o', at: new Date() })).toBeNull()
    expect(priceFor({ provider: 'openai', model: 'gpt-4o', at: new Date('not a date') })).toBeNull()
  })
})

describe('priceFor overrides', () => {
  const overrides = [
    PriceOverride.parse({ model: 'gpt-4o', effectiveFrom: '2026-10-01T00:00:00Z', prices: { input: 2_000_000_000, output: 8_000_000_000 } }),
    PriceOverride.parse({ model: 'GPT-4o', effectiveFrom: '2026-11-15T00:00:00Z', prices: { input: 1_500_000_000, output: 6_000_000_000 } }),
    PriceOverride.parse({ model: 'llama-3.1-8b-instant', effectiveFrom: '2026-01-01T00:00:00+01:00', prices: { input: 50_000_000, output: 80_000_000 } }),
  ]
  const at = (provider: string, model: string, iso: string) => priceFor({ provider, model, at: new Date(iso), overrides })

  it('sits in front of the catalogue from its effectiveFrom on, the latest one in force winning', () => {
    expect(at('openai', 'gpt-4o', '2026-09-30T23:59:59Z')).toMatchObject({ origin: 'catalogue', prices: { input: 2_500_000_000 } })
    expect(at('openai', 'gpt-4o', '2026-10-01T00:00:00Z')).toMatchObject({ origin: 'override', prices: { input: 2_000_000_000 }, effectiveTo: '2026-11-15T00:00:00Z', catalogueVersion: null })
    expect(at('openai', 'gpt-4o', '2026-12-01T00:00:00Z')).toMatchObject({ origin: 'override', prices: { input: 1_500_000_000 }, effectiveTo: null })
  })

  it('prices an OpenAI-compatible connection only through the team’s override', () => {
    expect(at('openai-compatible', 'llama-3.1-8b-instant', '2025-12-31T22:59:59Z')).toBeNull()
    expect(at('openai-compatible', 'llama-3.1-8b-instant', '2025-12-31T23:00:00Z')).toMatchObject({ origin: 'override', model: 'llama-3.1-8b-instant' })
  })
})
