import { z } from 'zod'
import { SealedSecret } from '../crypto/envelope.ts'
import { ROUTE_ALIAS_REGEX } from './plan.ts'
import { CONNECTION_NAME_REGEX, PROVIDER_TYPES } from './provider-types.ts'
import { RouteCache, RoutePlan } from './route.ts'

// The config snapshot: everything the data plane needs to serve a request, compiled by the
// control plane. Compatibility rule: `schemaVersion` is a literal; new fields are optional with
// defaults; a breaking change bumps the version. A data plane that meets a version it does not
// know keeps serving its last good snapshot.
export const SNAPSHOT_SCHEMA_VERSION = 1

export const SnapshotTeam = z.object({
  id: z.string().min(1),
  slug: z.string().min(1),
  /** Whether request/response bodies may be kept in logs (later: per-team logging settings). */
  logBodies: z.boolean().default(true),
})

export const SnapshotVirtualKey = z.object({
  id: z.string().min(1),
  teamId: z.string().min(1),
  name: z.string(),
  /** SHA-256 hex of the key. The key itself never leaves the creation response. */
  keyHash: z.string().regex(/^[0-9a-f]{64}$/),
  /** Empty = every model of the team. Entries are `<connection>/<model>`, `<connection>/*` or route aliases. */
  allowedModels: z.array(z.string()).default([]),
  expiresAt: z.iso.datetime({ offset: true }).nullable().default(null),
  metadata: z.record(z.string(), z.unknown()).default({}),
})

export const ProviderTimeouts = z.object({
  connectMs: z.number().int().positive().default(10_000),
  firstByteMs: z.number().int().positive().default(60_000),
  idleMs: z.number().int().positive().default(60_000),
  totalMs: z.number().int().positive().default(600_000),
})

export const SnapshotProvider = z.object({
  id: z.string().min(1),
  teamId: z.string().min(1),
  name: z.string().regex(CONNECTION_NAME_REGEX),
  type: z.enum(PROVIDER_TYPES),
  /** Null = the provider's public default (DEFAULT_BASE_URLS). */
  baseUrl: z.url().nullable(),
  settings: z.record(z.string(), z.unknown()).default({}),
  timeouts: ProviderTimeouts.default(ProviderTimeouts.parse({})),
  /** Sealed with AAD providerCredentialAad(teamId, id); opened by the data plane at load. */
  credential: SealedSecret,
})

/** A team's route (CONTRACT.md §Routes): the alias callers name as `model`, and its current plan. */
export const SnapshotRoute = z.object({
  teamId: z.string().min(1),
  alias: z.string().regex(ROUTE_ALIAS_REGEX),
  version: z.number().int().positive(),
  plan: RoutePlan,
  cache: RouteCache.nullable().default(null),
})

export const ConfigSnapshot = z.object({
  schemaVersion: z.literal(SNAPSHOT_SCHEMA_VERSION),
  version: z.number().int().positive(),
  publishedAt: z.iso.datetime({ offset: true }),
  teams: z.array(SnapshotTeam),
  virtualKeys: z.array(SnapshotVirtualKey),
  providers: z.array(SnapshotProvider),
  /** Added compatibly (optional, default []): a data plane that predates routes ignores it. */
  routes: z.array(SnapshotRoute).default([]),
})

export type ConfigSnapshot = z.infer<typeof ConfigSnapshot>
export type ConfigSnapshotInput = z.input<typeof ConfigSnapshot>
export type SnapshotTeam = z.infer<typeof SnapshotTeam>
export type SnapshotVirtualKey = z.infer<typeof SnapshotVirtualKey>
export type SnapshotProvider = z.infer<typeof SnapshotProvider>
export type ProviderTimeouts = z.infer<typeof ProviderTimeouts>
export type SnapshotRoute = z.infer<typeof SnapshotRoute>

/** Peek at the version fields without validating the rest, to report an unknown schema clearly. */
export const SnapshotHeader = z.object({ schemaVersion: z.number(), version: z.number() })
