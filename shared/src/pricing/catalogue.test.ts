import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { bundledCatalogue } from './catalogue.ts'
import { PRICED_PROVIDERS, type MatchRule } from './catalogue-schema.ts'
import { costOf } from './cost.ts'
import { oraclePrice, toGenaiUsage } from './fixtures/oracle.ts'
import { formatFemtoUsd } from './money.ts'
import { priceFor } from './price-for.ts'
import { buildCatalogue, serializeCatalogue } from './snapshot/build-catalogue.ts'
import { usageOf } from './usage.ts'

/** Literal ids a rule accepts (regex-only rules give none): enough to exercise every model. */
function samples(rule: MatchRule): string[] {
  if ('anyOf' in rule) return rule.anyOf.flatMap(samples)
  if ('allOf' in rule) return rule.allOf.flatMap(samples).slice(0, 1)
  if ('regex' in rule) return []
  return [Object.values(rule)[0] as string]
}

const small = usageOf({ inputTokens: 1234, cacheReadTokens: 567, cacheWriteTokens: 89, cacheWrite1hTokens: 10, inputAudioTokens: 45, cacheReadAudioTokens: 6, outputTokens: 789, reasoningTokens: 321, outputAudioTokens: 12, webSearches: 3 })
const large = usageOf({ inputTokens: 250_000, cacheReadTokens: 40_000, cacheWriteTokens: 9_000, outputTokens: 4_000, reasoningTokens: 1_000 })

describe('catalogue snapshot', () => {
  it('is exactly what the pinned genai-prices builds (a package bump without a refresh fails here)', () => {
    const { catalogue, unrepresentable } = buildCatalogue()
    expect(unrepresentable).toEqual([])
    const committed = readFileSync(new URL('./catalogue.json', import.meta.url), 'utf8')
    expect(serializeCatalogue(catalogue)).toBe(committed)
    expect(bundledCatalogue().version).toBe(catalogue.catalogueVersion)
  })

  it('covers every adapter type with current models', () => {
    const { models } = bundledCatalogue()
    for (const provider of PRICED_PROVIDERS) expect(models[provider].length, provider).toBeGreaterThan(20)
    const current: [string, string][] = [
      ['openai', 'gpt-5.1'],
      ['openai', 'gpt-4o-mini'],
      ['azure-openai', 'gpt-4.1'],
      ['anthropic', 'claude-sonnet-4-5-20250929'],
      ['anthropic', 'claude-haiku-4-5'],
      ['google', 'gemini-2.5-flash'],
      ['google', 'gemini-3-pro-preview'],
      ['bedrock', 'us.anthropic.claude-sonnet-4-5-20250929-v1:0'],
      ['bedrock', 'amazon.nova-pro-v1:0'],
    ]
    for (const [provider, model] of current) expect(priceFor({ provider, model, at: new Date('2026-12-01') }), `${provider}/${model}`).not.toBeNull()
  })

  it('picks the same model and price as genai-prices for every model, at every price date, below and above each tier', () => {
    let compared = 0
    for (const provider of PRICED_PROVIDERS) {
      for (const entry of bundledCatalogue().models[provider]) {
        const instants = [new Date('2020-01-01T00:00:00Z'), new Date('2026-12-01T00:00:00Z')]
        for (const row of entry.rows) if (row.effectiveFrom) instants.push(new Date(new Date(row.effectiveFrom).getTime() - 1), new Date(row.effectiveFrom))
        for (const id of samples(entry.rows[0]!.match)) {
          for (const at of instants) {
            const ours = priceFor({ provider, model: id, at })
            for (const usage of [small, large]) {
              const oracle = oraclePrice(provider, id, toGenaiUsage(usage), at)
              expect(ours?.model, `${provider} ${id}`).toBe(oracle?.model)
              if (!ours || !oracle) continue
              const exact = Number(formatFemtoUsd(costOf(usage, ours).femtoUsd))
              expect(Math.abs(exact - oracle.usd), `${provider} ${id} ${at.toISOString()}`).toBeLessThanOrEqual(1e-9)
              compared++
            }
          }
        }
      }
    }
    expect(compared).toBeGreaterThan(3000)
  })
})
