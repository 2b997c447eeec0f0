import { Catalogue, type PriceRow, type PricedProvider, PRICED_PROVIDERS } from './catalogue-schema.ts'
import data from './catalogue.json' with { type: 'json' }

// The catalogue compiled once into per-provider model lists (match order kept), each model's rows
// sorted by effectiveFrom. The bundled JSON is parsed on first use, not at import.

export interface CatalogueModel {
  source: string
  model: string
  rows: PriceRow[]
}

export interface CompiledCatalogue {
  version: string
  models: Record<PricedProvider, CatalogueModel[]>
}

export function compileCatalogue(input: unknown): CompiledCatalogue {
  const catalogue = Catalogue.parse(input)
  const models = Object.fromEntries(PRICED_PROVIDERS.map((p) => [p, [] as CatalogueModel[]])) as Record<PricedProvider, CatalogueModel[]>
  for (const row of catalogue.rows) {
    const list = models[row.provider]
    const last = list.at(-1)
    if (last && last.source === row.source && last.model === row.model) last.rows.push(row)
    else list.push({ source: row.source, model: row.model, rows: [row] })
  }
  for (const list of Object.values(models)) for (const entry of list) entry.rows.sort(byEffectiveFrom)
  return { version: catalogue.catalogueVersion, models }
}

function byEffectiveFrom(a: PriceRow, b: PriceRow): number {
  if (a.effectiveFrom === b.effectiveFrom) return 0
  if (a.effectiveFrom === null) return -1
  if (b.effectiveFrom === null) return 1
  return a.effectiveFrom < b.effectiveFrom ? -1 : 1
}

let bundled: CompiledCatalogue | null = null

/** The catalogue shipped in this package (src/pricing/catalogue.json). */
export function bundledCatalogue(): CompiledCatalogue {
  bundled ??= compileCatalogue(data)
  return bundled
}
