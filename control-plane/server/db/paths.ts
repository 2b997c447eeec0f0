import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..')

export const PRISMA_DIR = join(repoRoot, 'prisma')
export const SCHEMA_PATH = join(PRISMA_DIR, 'schema.prisma')
export const MIGRATIONS_DIR = join(PRISMA_DIR, 'migrations')
/** The schema as of the newest migration: the "from" side of the next diff. */
export const MIGRATED_SCHEMA_PATH = join(MIGRATIONS_DIR, 'schema.prisma.migrated')
export const REPO_ROOT = repoRoot
