import { z } from 'zod'
import { bundledCatalogue, type CatalogueModel, type CompiledCatalogue } from './catalogue.ts'
import { PRICED_PROVIDERS, PriceSet, PriceTier, type PricedProvider } from './catalogue-schema.ts'
import { matches, normaliseModelId, withDashedDates } from './match.ts'

// priceFor: the one lookup. Team overrides (passed in, already narrowed to the team and the
// connection by the caller) sit in front of the catalogue; each side picks the price in force at
// `at`, so a price change applies from its date and an old call keeps the price of its day.

/** A team's price for one upstream model from `effectiveFrom` on (CONTRACT.md price overrides). */
export const PriceOverride = z.strictObject({
  model: z.string().min(1),
  effectiveFrom: z.iso.datetime({ offset: true }),
  prices: PriceSet,
  tiers: z.array(PriceTier).default([]),
})
export type PriceOverride = z.infer<typeof PriceOverride>

export interface ResolvedPrice {
  origin: 'override' | 'catalogue'
  /** The catalogue's model id (or the override's): what the price was found under. */
  model: string
  effectiveFrom: string | null
  effectiveTo: string | null
  prices: PriceSet
  tiers: PriceTier[]
  /** The catalogue version the price came from; null for an override. */
  catalogueVersion: string | null
}

export interface PriceQuery {
  /** The connection's provider type (snapshot PROVIDER_TYPES). */
  provider: string
  /** The upstream model id (as the provider reported it, or as sent when it reports none). */
  model: string
  at: Date
  overrides?: readonly PriceOverride[]
  catalogue?: CompiledCatalogue
}

/** null = unpriced: the caller reports costConfidence `unpriced`, never a cost of 0. */
export function priceFor(query: PriceQuery): ResolvedPrice | null {
  if (Number.isNaN(query.at.getTime())) return null
  return overrideFor(query) ?? catalogueFor(query)
}

function overrideFor({ model, at, overrides = [] }: PriceQuery): ResolvedPrice | null {
  const id = normaliseModelId(model)
  let best: PriceOverride | null = null
  for (const override of overrides) {
    if (normaliseModelId(override.model) !== id || new Date(override.effectiveFrom) > at) continue
    if (!best || new Date(override.effectiveFrom) > new Date(best.effectiveFrom)) best = override
  }
  if (!best) return null
  const later = overrides.filter((o) => normaliseModelId(o.model) === id && new Date(o.effectiveFrom) > new Date(best.effectiveFrom))
  const effectiveTo = later.reduce<string | null>((to, o) => (to === null || new Date(o.effectiveFrom) < new Date(to) ? o.effectiveFrom : to), null)
  return { origin: 'override', model: best.model, effectiveFrom: best.effectiveFrom, effectiveTo, prices: best.prices, tiers: best.tiers, catalogueVersion: null }
}

function isPricedProvider(provider: string): provider is PricedProvider {
  return (PRICED_PROVIDERS as readonly string[]).includes(provider)
}

function catalogueFor({ provider, model, at, catalogue = bundledCatalogue() }: PriceQuery): ResolvedPrice | null {
  if (!isPricedProvider(provider)) return null
  const id = normaliseModelId(model)
  const models = catalogue.models[provider]
  const found = findModel(models, id) ?? (withDashedDates(id) === id ? null : findModel(models, withDashedDates(id)))
  if (!found) return null
  const instant = at.toISOString()
  const row = found.rows.find((r) => (r.effectiveFrom === null || r.effectiveFrom <= instant) && (r.effectiveTo === null || instant < r.effectiveTo))
  if (!row) return null
  return { origin: 'catalogue', model: row.model, effectiveFrom: row.effectiveFrom, effectiveTo: row.effectiveTo, prices: row.prices, tiers: row.tiers, catalogueVersion: catalogue.version }
}

function findModel(models: CatalogueModel[], id: string): CatalogueModel | null {
  // Every row of a model carries the same rule, so the first row speaks for it.
  return models.find((m) => m.rows[0] !== undefined && matches(m.rows[0].match, id)) ?? null
}
