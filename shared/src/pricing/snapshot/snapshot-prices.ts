import { writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { buildCatalogue, serializeCatalogue } from './build-catalogue.ts'

// `pnpm --filter @switchyard/shared run snapshot-prices`: rewrites src/pricing/catalogue.json from
// the pinned genai-prices package. Refuses (exit 1, file untouched) when a price cannot be held
// exactly as integer nano-USD, so a rounded price never slips into the catalogue.
const target = fileURLToPath(new URL('../catalogue.json', import.meta.url))
const { catalogue, unrepresentable } = buildCatalogue()
if (unrepresentable.length > 0) {
  console.error(`prices not representable as integer nano-USD:\n  ${unrepresentable.join('\n  ')}`)
  process.exit(1)
}
writeFileSync(target, serializeCatalogue(catalogue))
const perProvider = new Map<string, Set<string>>()
for (const row of catalogue.rows) perProvider.set(row.provider, (perProvider.get(row.provider) ?? new Set()).add(`${row.source}/${row.model}`))
console.log(`${catalogue.catalogueVersion}: ${catalogue.rows.length} rows`)
for (const [provider, models] of perProvider) console.log(`  ${provider}: ${models.size} models`)
