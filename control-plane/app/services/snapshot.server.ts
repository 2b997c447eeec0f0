import { ConfigSnapshot, SNAPSHOT_SCHEMA_VERSION, type ConfigSnapshotInput } from '@switchyard/shared/snapshot'
import type { Infra } from '@switchyard/shared/infra'
import type { Db, DbClient, Prisma } from '../lib/db.server.ts'
import { insertSnapshot, latestSnapshotVersion, lockSnapshotVersions } from '../models/config-snapshot.server.ts'
import { listAllProviderConnectionsWithCredential } from '../models/provider-connection.server.ts'
import { listAllRoutesForSnapshot } from '../models/route.server.ts'
import { listAllTeamsForSnapshot } from '../models/team.server.ts'
import { listAllLiveVirtualKeysForSnapshot } from '../models/virtual-key.server.ts'
import { compileRoutes } from './snapshot-routes.server.ts'

// Compiles the config snapshot from Postgres and publishes it. Every mutation that changes what
// the data plane sees ends in `publish()`, so "saved but not live" cannot happen silently.

export class SnapshotCompileError extends Error {
  override name = 'SnapshotCompileError'
}

function asRecord(value: Prisma.JsonValue): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {}
}

/**
 * Null = the provider's public default. Bedrock's default depends on the region, so it is
 * written out here (https://bedrock-runtime.<region>.amazonaws.com, CONTRACT.md).
 */
/** `settings.timeouts` (validated on write) become the connection's timeouts; unset ones default. */
function timeoutsOf(settings: Prisma.JsonValue): { timeouts?: ConfigSnapshotInput['providers'][number]['timeouts'] } {
  const timeouts = asRecord(settings).timeouts
  return timeouts && typeof timeouts === 'object' ? { timeouts: timeouts as ConfigSnapshotInput['providers'][number]['timeouts'] } : {}
}

function snapshotBaseUrl(p: { type: string; baseUrl: string | null; settings: Prisma.JsonValue }): string | null {
  if (p.baseUrl !== null || p.type !== 'bedrock') return p.baseUrl
  const region = asRecord(p.settings).region
  return typeof region === 'string' ? `https://bedrock-runtime.${region}.amazonaws.com` : null
}

/** Reads every team, live virtual key and provider connection, and validates the document. */
export async function compileSnapshot(db: DbClient, header: { version: number; publishedAt: Date }): Promise<ConfigSnapshot> {
  const [teams, keys, providers, routeRows] = await Promise.all([
    listAllTeamsForSnapshot(db),
    listAllLiveVirtualKeysForSnapshot(db),
    listAllProviderConnectionsWithCredential(db),
    listAllRoutesForSnapshot(db),
  ])
  const routes = compileRoutes(routeRows, providers)
  for (const s of routes.skipped) process.stderr.write(`snapshot: route "${s.alias}" of team ${s.teamId} left out: ${s.reason}\n`)
  const input: ConfigSnapshotInput = {
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    version: header.version,
    publishedAt: header.publishedAt.toISOString(),
    teams: teams.map((t) => ({ id: t.id, slug: t.slug })),
    virtualKeys: keys.map((k) => ({
      id: k.id,
      teamId: k.teamId,
      name: k.name,
      keyHash: k.keyHash,
      allowedModels: k.allowedModels,
      expiresAt: k.expiresAt?.toISOString() ?? null,
      metadata: asRecord(k.metadata),
    })),
    providers: providers.map((p) => ({
      id: p.id,
      teamId: p.teamId,
      name: p.name,
      type: p.type as ConfigSnapshotInput['providers'][number]['type'],
      baseUrl: snapshotBaseUrl(p),
      settings: asRecord(p.settings),
      ...timeoutsOf(p.settings),
      credential: p.credential as ConfigSnapshotInput['providers'][number]['credential'],
    })),
    routes: routes.routes,
  }
  const result = ConfigSnapshot.safeParse(input)
  if (!result.success) {
    // Refuse to publish: the data plane would reject it anyway and keep its last good one.
    const first = result.error.issues[0]
    throw new SnapshotCompileError(`compiled snapshot is invalid at ${first?.path.join('.') ?? '?'}: ${first?.message ?? ''}`)
  }
  return result.data
}

export interface SnapshotPublisher {
  /** Compiles, stores and announces the next version; returns it. Serialized across processes. */
  publish(): Promise<number>
}

export function createSnapshotPublisher(deps: { db: Db; infra: Infra }): SnapshotPublisher {
  return {
    async publish() {
      const snapshot = await deps.db.$transaction(
        async (tx) => {
          await lockSnapshotVersions(tx)
          const version = (await latestSnapshotVersion(tx)) + 1
          const compiled = await compileSnapshot(tx, { version, publishedAt: new Date() })
          await insertSnapshot(tx, {
            version,
            schemaVersion: compiled.schemaVersion,
            document: compiled as unknown as Prisma.InputJsonObject,
          })
          return compiled
        },
        { maxWait: 15_000, timeout: 30_000 },
      )
      // After commit: a stored version is never announced before it exists. The bus keeps the
      // highest version as latest, so a slower concurrent publisher cannot roll it back.
      await deps.infra.snapshots.publish(snapshot.version, JSON.stringify(snapshot))
      return snapshot.version
    },
  }
}
