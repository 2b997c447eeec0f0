import { describe, expect, it } from 'vitest'
import { costOf } from './cost.ts'
import { loadFixtures, type Fixture } from './fixtures/load-fixtures.ts'
import { oraclePrice, oracleUsage, toGenaiUsage } from './fixtures/oracle.ts'
import { usageFromWire } from './fixtures/wire-usage.ts'
import { femtoToNanos, formatFemtoUsd, formatUsd, parseUsd } from './money.ts'
import { priceFor } from './price-for.ts'
import { NormalisedUsage } from './usage.ts'

const fixtures = loadFixtures()
const priced = fixtures.filter((f): f is Fixture & { expected: NonNullable<Fixture['expected']> } => f.expected !== null)

/** Decimal USD string → exact femto-USD. */
function femtos(usd: string): bigint {
  const [whole = '0', fraction = ''] = usd.split('.')
  return BigInt(whole) * 10n ** 15n + BigInt(fraction.padEnd(15, '0'))
}

/** The hand-written lines, summed exactly: tokens × $/MTok (count × $/K for web searches). */
function sumOfLines(lines: [string, number, string][]): bigint {
  return lines.reduce((sum, [part, n, price]) => {
    const nanos = parseUsd(price)
    if (nanos === null) throw new Error(`bad price ${price}`)
    return sum + BigInt(n) * nanos * (part === 'webSearches' ? 1_000n : 1n)
  }, 0n)
}

function mapped(f: Fixture): NormalisedUsage {
  const result = usageFromWire(f.wire, f.body)
  if (!result?.ok) throw new Error(`${f.id}: ${result ? result.reason : 'no usage'}`)
  return result.usage
}

function ourCost(f: Fixture) {
  const price = priceFor({ provider: f.provider, model: f.model, at: new Date(f.at) })
  return price ? { price, cost: costOf(mapped(f), price) } : null
}

describe('recorded provider usage (G-BUD-05 reference pricing)', () => {
  it('holds at least 60 recorded usage blocks over every adapter type, streamed and not', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(60)
    const providers = new Set(fixtures.map((f) => f.provider))
    for (const p of ['openai', 'azure-openai', 'anthropic', 'google', 'bedrock']) expect(providers).toContain(p)
    expect(fixtures.filter((f) => f.wire.endsWith('-stream')).length).toBeGreaterThanOrEqual(20)
    expect(new Set(fixtures.map((f) => f.id)).size).toBe(fixtures.length)
  })

  describe.each(priced.map((f) => [f.id, f] as const))('%s', (_id, f) => {
    it('hand-computed lines add up to the expected cost', () => {
      expect(formatFemtoUsd(sumOfLines(f.expected.lines))).toBe(f.expected.costUsd)
    })

    it('maps the wire usage onto the partitions the lines price', () => {
      const expected = NormalisedUsage.parse(Object.fromEntries(f.expected.lines.map(([part, n]) => [part, n])))
      expect(mapped(f)).toEqual(expected)
    })

    it('costs exactly the expected amount', () => {
      const ours = ourCost(f)
      expect(ours, 'priced').not.toBeNull()
      expect(formatFemtoUsd(ours!.cost.femtoUsd)).toBe(f.expected.costUsd)
      expect(ours!.cost.nanoUsd).toBe(femtoToNanos(femtos(f.expected.costUsd)))
      expect(formatUsd(ours!.cost.nanoUsd)).toMatch(/^\d+(\.\d{1,9})?$/)
      expect(ours!.cost.unpriced).toEqual([])
    })

    it('agrees with genai-prices (its own extractor and calcPrice) within 1e-9 USD', () => {
      const ours = ourCost(f)!
      const fromExtractor = oraclePrice(f.provider, f.model, oracleUsage(f.provider, f.wire, f.body), new Date(f.at))
      const fromOurUsage = oraclePrice(f.provider, f.model, toGenaiUsage(mapped(f)), new Date(f.at))
      expect(fromExtractor?.model).toBe(ours.price.model)
      const exact = Number(formatFemtoUsd(ours.cost.femtoUsd))
      expect(Math.abs(fromExtractor!.usd - exact)).toBeLessThanOrEqual(1e-9)
      expect(Math.abs(fromOurUsage!.usd - exact)).toBeLessThanOrEqual(1e-9)
    })
  })

  it('a streamed response costs exactly what its non-streamed twin costs', () => {
    const byId = new Map(fixtures.map((f) => [f.id, f]))
    const twins = fixtures.filter((f) => f.twin !== undefined && f.wire.endsWith('-stream'))
    expect(twins.length).toBeGreaterThanOrEqual(20)
    for (const stream of twins) {
      const whole = byId.get(stream.twin!)
      expect(whole, stream.id).toBeDefined()
      expect(mapped(stream), stream.id).toEqual(mapped(whole!))
      expect(ourCost(stream)!.cost, stream.id).toEqual(ourCost(whole!)!.cost)
    }
  })

  it.each(fixtures.filter((f) => f.expected === null).map((f) => [f.id, f] as const))('%s is unpriced, never $0', (_id, f) => {
    expect(priceFor({ provider: f.provider, model: f.model, at: new Date(f.at) })).toBeNull()
    expect(mapped(f).inputTokens).toBeGreaterThan(0)
  })
})
