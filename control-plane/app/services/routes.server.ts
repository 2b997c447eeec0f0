import { ApiError } from '@switchyard/shared/errors'
import { newId } from '@switchyard/shared/ids'
import { formatPath, planTargets, ROUTE_ALIAS_REGEX, type RouteCache, type RoutePlan } from '@switchyard/shared/snapshot/plan'
import { type Db, isUniqueViolation, isWriteConflict, type Prisma } from '../lib/db.server.ts'
import { recordAuditEvent } from '../models/audit-event.server.ts'
import { listProviderConnectionNames } from '../models/provider-connection.server.ts'
import {
  appendRouteVersion,
  createRoute,
  deleteRoute as deleteRouteRow,
  getRouteByAlias,
  getRouteVersion,
  listRouteVersions,
  lockRouteByAlias,
  type RouteRow,
  type RouteVersionRow,
} from '../models/route.server.ts'
import { type Actor, auditActor, requirePermission } from './admin-auth.server.ts'
import type { SnapshotPublisher } from './snapshot.server.ts'

// Routes (CONTRACT.md §Routes): every change is a new version, ends in an audit event and a
// published snapshot. Decisions (docs/routes.md):
// - PUT replaces the route; a PUT identical to the current version creates nothing (no
//   version, no audit, no publish) and answers the current route with 200.
// - rollback always appends a copy of the old version (even if it equals the current one).
// - DELETE removes the route and all its versions; the alias may be reused, from version 1.
// - A plan may only name the team's own connections: checked here at save and rollback, and
//   again by the snapshot compiler. Deleting or renaming a connection a route names is a 409.

export interface RouteDeps {
  db: Db
  publisher: SnapshotPublisher
}

export interface RouteInput {
  plan: RoutePlan
  description?: string | null | undefined
  cache?: RouteCache | null | undefined
}

function notFound(): ApiError {
  return new ApiError('not_found', 'route not found')
}

function checkAlias(alias: string): void {
  if (!ROUTE_ALIAS_REGEX.test(alias)) throw notFound()
}

/** Every target (and the cache's embedding model) must name one of the team's connections. */
async function checkConnections(db: Db, teamId: string, input: RouteInput, prefix: string): Promise<void> {
  const names = new Set(await listProviderConnectionNames(db, teamId))
  const details: { path: string; message: string }[] = []
  for (const target of planTargets(input.plan)) {
    const connection = target.model.slice(0, target.model.indexOf('/'))
    if (!names.has(connection)) {
      details.push({ path: formatPath([prefix, ...target.path, 'model']), message: `this team has no provider connection named "${connection}"` })
    }
  }
  const embedding = input.cache?.embeddingModel
  if (embedding !== undefined && !names.has(embedding.slice(0, embedding.indexOf('/')))) {
    details.push({ path: 'cache.embeddingModel', message: 'this team has no provider connection by that name' })
  }
  if (details.length > 0) throw new ApiError('validation_failed', 'the route names unknown provider connections', details)
}

/** Key order does not matter (Postgres jsonb reorders keys): compare a canonical form. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : 1))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`
  }
  return JSON.stringify(value ?? null)
}

function contentOf(input: RouteInput) {
  return {
    plan: input.plan as unknown as Prisma.InputJsonValue,
    description: input.description ?? null,
    cache: (input.cache ?? null) as Prisma.InputJsonValue | null,
  }
}

function sameContent(row: Pick<RouteRow, 'plan' | 'description' | 'cache'>, input: RouteInput): boolean {
  const next = contentOf(input)
  return canonical(row.plan) === canonical(next.plan) && row.description === next.description && canonical(row.cache) === canonical(next.cache)
}

export interface SaveResult {
  route: RouteRow
  created: boolean
  /** False for an identical PUT: nothing was written. */
  changed: boolean
}

async function writeVersion(deps: RouteDeps, actor: Actor, alias: string, input: RouteInput, action: 'route.update' | 'route.rollback'): Promise<SaveResult> {
  const content = contentOf(input)
  const result = await deps.db.$transaction(async (tx): Promise<SaveResult> => {
    await lockRouteByAlias(tx, actor.teamId, alias)
    const existing = await getRouteByAlias(tx, actor.teamId, alias)
    if (!existing) {
      const route = await createRoute(tx, { id: newId('route'), versionId: newId('routeVersion'), teamId: actor.teamId, alias, createdById: actor.userId, ...content })
      await recordAuditEvent(tx, { ...auditActor(actor), action: 'route.create', targetType: 'route', targetId: route.id, details: { alias, version: 1 } })
      return { route, created: true, changed: true }
    }
    if (action === 'route.update' && sameContent(existing, input)) return { route: existing, created: false, changed: false }
    const version = existing.version + 1
    const route = await appendRouteVersion(tx, { routeId: existing.id, versionId: newId('routeVersion'), version, createdById: actor.userId, ...content })
    await recordAuditEvent(tx, { ...auditActor(actor), action, targetType: 'route', targetId: route.id, details: { alias, version } })
    return { route, created: false, changed: true }
  })
  if (result.changed) await deps.publisher.publish()
  return result
}

/** PUT /routes/:alias: 201 + version 1 when new, else the next version (or nothing when identical). */
export async function saveRoute(deps: RouteDeps, actor: Actor, alias: string, input: RouteInput): Promise<SaveResult> {
  requirePermission(actor, 'routes.write')
  if (!ROUTE_ALIAS_REGEX.test(alias)) {
    throw new ApiError('validation_failed', 'the request is invalid', [{ path: 'alias', message: 'an alias matches ^[a-z0-9][a-z0-9._-]{0,62}$ (never a "/")' }])
  }
  await checkConnections(deps.db, actor.teamId, input, 'plan')
  return saveWithRetries(() => writeVersion(deps, actor, alias, input, 'route.update'))
}

/**
 * Concurrent first saves of one alias race (there is no row to lock yet): the losers meet the
 * unique index, and Postgres may abort one of the waiting transactions as a deadlock. Both
 * leave nothing written, so the save runs again — as an update of the route that now exists.
 */
async function saveWithRetries(save: () => Promise<SaveResult>, attempts = 4): Promise<SaveResult> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await save()
    } catch (err) {
      if (attempt >= attempts || !(isUniqueViolation(err) || isWriteConflict(err))) throw err
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt))
    }
  }
}

export async function getRoute(deps: { db: Db }, actor: Actor, alias: string): Promise<RouteRow> {
  requirePermission(actor, 'routes.read')
  checkAlias(alias)
  const route = await getRouteByAlias(deps.db, actor.teamId, alias)
  if (!route) throw notFound()
  return route
}

export async function listVersions(
  deps: { db: Db },
  actor: Actor,
  alias: string,
  page: { limit: number; cursor: string | null },
): Promise<{ data: RouteVersionRow[]; nextCursor: string | null }> {
  const route = await getRoute(deps, actor, alias)
  const before = page.cursor === null ? null : Number(page.cursor)
  if (before !== null && (!Number.isInteger(before) || before < 1)) {
    throw new ApiError('validation_failed', 'invalid cursor', [{ path: 'cursor', message: 'not a cursor this API issued' }])
  }
  const rows = await listRouteVersions(deps.db, route.id, { limit: page.limit, before })
  const data = rows.slice(0, page.limit)
  return { data, nextCursor: rows.length > page.limit ? String(data.at(-1)?.version) : null }
}

/** A new version equal to `version` (its plan, description and cache). */
export async function rollbackRoute(deps: RouteDeps, actor: Actor, alias: string, version: number): Promise<RouteRow> {
  requirePermission(actor, 'routes.write')
  const route = await getRoute(deps, actor, alias)
  const old = await getRouteVersion(deps.db, route.id, version)
  if (!old) throw new ApiError('validation_failed', 'the request is invalid', [{ path: 'version', message: `route "${alias}" has no version ${version}` }])
  const input: RouteInput = { plan: old.plan as unknown as RoutePlan, description: old.description, cache: old.cache as RouteCache | null }
  // The old version may name a connection deleted since; it must not come back.
  await checkConnections(deps.db, actor.teamId, input, 'plan')
  return (await writeVersion(deps, actor, alias, input, 'route.rollback')).route
}

export async function deleteRoute(deps: RouteDeps, actor: Actor, alias: string): Promise<void> {
  requirePermission(actor, 'routes.write')
  checkAlias(alias)
  const deleted = await deps.db.$transaction(async (tx) => {
    const existing = await getRouteByAlias(tx, actor.teamId, alias)
    if (!existing || !(await deleteRouteRow(tx, actor.teamId, existing.id))) return false
    await recordAuditEvent(tx, { ...auditActor(actor), action: 'route.delete', targetType: 'route', targetId: existing.id, details: { alias, version: existing.version } })
    return true
  })
  if (!deleted) throw notFound()
  await deps.publisher.publish()
}
