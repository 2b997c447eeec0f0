import { createHash } from 'node:crypto'
import { findProvider, type ConditionalPrice, type MatchLogic, type ModelInfo, type ModelPrice } from '@pydantic/genai-prices'
import { CATALOGUE_SCHEMA_VERSION, Catalogue, type MatchRule, type PriceRow, type PriceSet, type PriceTier, type PricedProvider } from '../catalogue-schema.ts'
import { toNanos } from './decimal.ts'

// Build-time only (imports the devDependency): genai-prices' bundled data → our catalogue rows.
// Never calls updatePrices(): the bundled data is the source, pinned by the package version.

export const SOURCE_PACKAGE = '@pydantic/genai-prices'
export const SOURCE_VERSION = '0.1.8'

/**
 * Which genai-prices providers each of our provider types draws models from, in lookup order
 * (genai-prices' own `fallback_model_providers`, narrowed: Azure OpenAI serves OpenAI and
 * Anthropic models; genai-prices' azure fallbacks to deepseek/x-ai/moonshotai carry those
 * vendors' own API prices — DeepSeek's off-peak hours among them — not Azure's).
 */
export const SOURCES: Record<PricedProvider, string[]> = {
  openai: ['openai'],
  'azure-openai': ['azure', 'openai', 'anthropic'],
  anthropic: ['anthropic'],
  google: ['google', 'anthropic'],
  bedrock: ['aws'],
}

const CARRIED: Record<string, keyof PriceSet> = {
  input_mtok: 'input',
  cache_read_mtok: 'cacheRead',
  cache_write_mtok: 'cacheWrite',
  cache_write_1h_mtok: 'cacheWrite1h',
  input_audio_mtok: 'inputAudio',
  cache_audio_read_mtok: 'cacheReadAudio',
  output_mtok: 'output',
  output_reasoning_mtok: 'reasoning',
  output_audio_mtok: 'outputAudio',
  web_searches_kcount: 'webSearches',
  requests_kcount: 'requests',
}
/** Keys that would split a partition we price as one (e.g. text vs. all input): refuse them. */
const REFUSED = /^(input_text|output_text|cache_text_read|cache_write_5m|input_tool|output_text_reasoning)_/

export class SnapshotError extends Error {}

export interface BuildResult {
  catalogue: Catalogue
  /** `provider/model key=value` for every price with more than nine decimals (never rounded). */
  unrepresentable: string[]
}

export function buildCatalogue(): BuildResult {
  const unrepresentable: string[] = []
  const rows: PriceRow[] = []
  for (const [provider, sources] of Object.entries(SOURCES) as [PricedProvider, string[]][]) {
    for (const source of sources) {
      const data = findProvider({ providerId: source })
      if (!data || data.id !== source) throw new SnapshotError(`genai-prices has no provider '${source}'`)
      for (const model of data.models) rows.push(...rowsOf({ provider, source, model, unrepresentable }))
    }
  }
  const hash = createHash('sha256').update(JSON.stringify(rows)).digest('hex').slice(0, 12)
  const catalogue = Catalogue.parse({
    schemaVersion: CATALOGUE_SCHEMA_VERSION,
    catalogueVersion: `${SOURCE_PACKAGE}@${SOURCE_VERSION}+${hash}`,
    source: { package: SOURCE_PACKAGE, version: SOURCE_VERSION },
    units: { mtok: 'nano-USD per 1,000,000 tokens', kcount: 'nano-USD per 1,000' },
    rows,
  })
  return { catalogue, unrepresentable }
}

interface RowInput {
  provider: PricedProvider
  source: string
  model: ModelInfo
  unrepresentable: string[]
}

function rowsOf({ provider, source, model, unrepresentable }: RowInput): PriceRow[] {
  const match = matchRuleOf(model.match)
  return periodsOf(model).map((period) => ({
    provider,
    model: model.id,
    source,
    match,
    effectiveFrom: period.from,
    effectiveTo: period.to,
    ...priceSetOf(period.prices, (key) => unrepresentable.push(`${source}/${model.id} ${key}`)),
  }))
}

export function matchRuleOf(logic: MatchLogic): MatchRule {
  if ('or' in logic) return { anyOf: logic.or.map(matchRuleOf) }
  if ('and' in logic) return { allOf: logic.and.map(matchRuleOf) }
  if ('equals' in logic) return { equals: logic.equals }
  if ('starts_with' in logic) return { startsWith: logic.starts_with }
  if ('ends_with' in logic) return { endsWith: logic.ends_with }
  if ('contains' in logic) return { contains: logic.contains }
  return { regex: logic.regex }
}

interface Period {
  from: string | null
  to: string | null
  prices: ModelPrice
}

/**
 * genai-prices' choice at an instant: walk the list from the end, take the first entry that is
 * unconstrained or whose start_date has come, else the first. The choice only changes at start
 * dates, so evaluating it once per boundary gives exact [from, to) periods.
 */
function periodsOf(model: ModelInfo): Period[] {
  if (!Array.isArray(model.prices)) return [{ from: null, to: null, prices: model.prices }]
  const list: ConditionalPrice[] = model.prices
  const starts = new Set<string>()
  for (const entry of list) {
    const constraint = entry.constraint
    if (!constraint) continue
    if (constraint.type !== 'start_date') throw new SnapshotError(`${model.id}: unsupported price constraint ${JSON.stringify(constraint)}`)
    starts.add(new Date(`${constraint.start_date}T00:00:00Z`).toISOString())
  }
  const boundaries = [...starts].sort()
  const chosen = [null, ...boundaries].map((at) => chooseAt(list, at === null ? null : new Date(at)))
  const periods: Period[] = []
  chosen.forEach((index, i) => {
    const from = i === 0 ? null : (boundaries[i - 1] ?? null)
    const last = periods.at(-1)
    if (last && last.prices === list[index]?.prices) return
    if (last) last.to = from
    periods.push({ from, to: null, prices: list[index]?.prices ?? {} })
  })
  return periods
}

function chooseAt(list: ConditionalPrice[], at: Date | null): number {
  for (let i = list.length - 1; i >= 0; i--) {
    const constraint = list[i]?.constraint
    if (!constraint) return i
    if (constraint.type === 'start_date' && at !== null && at >= new Date(`${constraint.start_date}T00:00:00Z`)) return i
  }
  return 0
}

interface Converted {
  prices: PriceSet
  tiers: PriceTier[]
  uncarried: string[]
}

function priceSetOf(source: ModelPrice, onUnrepresentable: (key: string) => void): Converted {
  const prices: PriceSet = {}
  const tierMap = new Map<number, PriceSet>()
  const uncarried: string[] = []
  const nanos = (key: string, usd: number): number => {
    const value = toNanos(usd)
    if (value === null || value > BigInt(Number.MAX_SAFE_INTEGER)) {
      onUnrepresentable(`${key}=${usd}`)
      return 0
    }
    return Number(value)
  }
  for (const [key, value] of Object.entries(source)) {
    if (value === undefined) continue
    if (REFUSED.test(key)) throw new SnapshotError(`price key ${key} would split a partition this catalogue prices as one`)
    const unit = CARRIED[key]
    if (!unit) {
      uncarried.push(key)
      continue
    }
    if (typeof value === 'number') {
      prices[unit] = nanos(key, value)
      continue
    }
    prices[unit] = nanos(key, value.base)
    for (const tier of value.tiers) {
      const set = tierMap.get(tier.start) ?? {}
      set[unit] = nanos(`${key}>${tier.start}`, tier.price)
      tierMap.set(tier.start, set)
    }
  }
  checkLattice(prices)
  const tiers = [...tierMap.entries()].sort(([a], [b]) => a - b).map(([promptTokensAbove, set]) => ({ promptTokensAbove, prices: set }))
  return { prices, tiers, uncarried: uncarried.sort() }
}

/** genai-prices refuses these shapes too: a child price needs its parent, an overlap its join. */
function checkLattice(prices: PriceSet): void {
  if (prices.cacheWrite1h !== undefined && prices.cacheWrite === undefined) throw new SnapshotError('cache_write_1h_mtok without cache_write_mtok')
  if (prices.cacheRead !== undefined && prices.inputAudio !== undefined && prices.cacheReadAudio === undefined) {
    throw new SnapshotError('cache_read_mtok and input_audio_mtok without cache_audio_read_mtok')
  }
}

/** One row per line: the file diffs row by row when prices change. */
export function serializeCatalogue(catalogue: Catalogue): string {
  const { rows, ...head } = catalogue
  const headJson = JSON.stringify(head, null, 2).replace(/\n}$/, '')
  return `${headJson},\n  "rows": [\n${rows.map((row) => `    ${JSON.stringify(row)}`).join(',\n')}\n  ]\n}\n`
}
