// `npm run db:migration -- <name>`: writes prisma/migrations/<timestamp>_<name>/migration.sql
// from the difference between the schema as of the last migration and prisma/schema.prisma.
// Uses Prisma's schema engine compiled to WebAssembly, so nothing is downloaded (PLATFORM.md);
// the diff is datamodel-to-datamodel and touches no database.
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { PrismaPg } from '@prisma/adapter-pg'
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils'
import { SchemaEngine } from '@prisma/schema-engine-wasm'
import { resolveDataDir } from '@switchyard/shared/env'
import { acquireDatabase } from './db/database.ts'
import { MIGRATED_SCHEMA_PATH, MIGRATIONS_DIR, SCHEMA_PATH } from './db/paths.ts'
import { loadEnv } from './env.ts'

const name = (process.argv[2] ?? '').trim()
if (!/^[a-z0-9_]+$/.test(name)) {
  process.stderr.write('usage: npm run db:migration -- <name>   (lower-case letters, digits, underscores)\n')
  process.exit(1)
}

const current = readFileSync(SCHEMA_PATH, 'utf8')
const previous = existsSync(MIGRATED_SCHEMA_PATH) ? readFileSync(MIGRATED_SCHEMA_PATH, 'utf8') : null

// The engine insists on a reachable database at construction, though a datamodel-to-datamodel
// diff reads and writes nothing in it: DATABASE_URL, or the embedded one (as the CLI does).
const env = loadEnv()
const database = await acquireDatabase(env, resolveDataDir(env), (m) => process.stderr.write(`${m}\n`))
const adapter = bindMigrationAwareSqlAdapterFactory(new PrismaPg({ connectionString: database.url }))
const engine = await SchemaEngine.new({ datamodels: [['schema.prisma', current]] }, () => {}, adapter)
const result = await engine.diff({
  from: previous === null ? { tag: 'empty' } : { tag: 'schemaDatamodel', files: [{ path: 'schema.prisma', content: previous }] },
  to: { tag: 'schemaDatamodel', files: [{ path: 'schema.prisma', content: current }] },
  script: true,
  exitCode: null,
  filters: { externalTables: [], externalEnums: [] },
})
const sql = (result.stdout ?? '').trim()
if (sql === '' || /^-- This is an empty migration\.?$/.test(sql)) {
  process.stderr.write('schema.prisma has no changes since the last migration\n')
  await database.release()
  process.exit(0)
}

const stamp = new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14)
const dir = join(MIGRATIONS_DIR, `${stamp}_${name}`)
mkdirSync(dir, { recursive: true })
writeFileSync(join(dir, 'migration.sql'), `${sql}\n`)
copyFileSync(SCHEMA_PATH, MIGRATED_SCHEMA_PATH)
writeFileSync(join(MIGRATIONS_DIR, 'migration_lock.toml'), 'provider = "postgresql"\n')
process.stdout.write(`${JSON.stringify({ migration: `${stamp}_${name}` })}\n`)
await database.release()
process.exit(0)
