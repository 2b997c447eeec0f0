import type { DbClient, Prisma } from '../lib/db.server.ts'

// Versions are allocated under a transaction-scoped advisory lock, so concurrent publishers
// (several control-plane replicas, the CLI) get strictly increasing versions.
const SNAPSHOT_ADVISORY_LOCK = 7_370_011

export async function lockSnapshotVersions(db: DbClient): Promise<void> {
  await db.$executeRaw`SELECT pg_advisory_xact_lock(${SNAPSHOT_ADVISORY_LOCK}::bigint)`
}

export async function latestSnapshotVersion(db: DbClient): Promise<number> {
  const row = await db.configSnapshot.findFirst({ orderBy: { version: 'desc' }, select: { version: true } })
  return row?.version ?? 0
}

export function insertSnapshot(db: DbClient, data: { version: number; schemaVersion: number; document: Prisma.InputJsonObject }) {
  return db.configSnapshot.create({ data, select: { version: true } })
}
