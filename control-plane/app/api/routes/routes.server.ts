import { PlanNode, type RouteCache } from '@switchyard/shared/snapshot/plan'
import type { RouteRow, RouteVersionRow } from '../../models/route.server.ts'
import { toPage } from '../../lib/pagination.server.ts'
import { listRoutes as listRouteRows } from '../../models/route.server.ts'
import { deleteRoute, getRoute, listVersions, rollbackRoute, saveRoute } from '../../services/routes.server.ts'
import { requirePermission } from '../../services/admin-auth.server.ts'
import { json, noContent, parseJsonBody, parseQuery } from '../http.server.ts'
import type { RouteContext } from '../router.server.ts'
import { ListQuery } from '../schemas.ts'
import { PutRouteBody, RollbackRouteBody, type RouteResource, type RouteVersionResource } from '../route-schemas.ts'

// /api/v1/routes (CONTRACT.md §Routes). Thin: parse, one service call, render.

/** Stored plans were validated on save; parsing again puts `type` first (jsonb reorders keys). */
function planOf(stored: unknown): PlanNode {
  const parsed = PlanNode.safeParse(stored)
  return parsed.success ? parsed.data : (stored as PlanNode)
}

function content(row: Pick<RouteRow, 'plan' | 'description' | 'cache'>) {
  return { plan: planOf(row.plan), description: row.description, cache: (row.cache ?? null) as RouteCache | null }
}

export function toRouteResource(row: RouteRow): RouteResource {
  return { alias: row.alias, version: row.version, ...content(row), createdAt: row.createdAt.toISOString(), updatedAt: row.updatedAt.toISOString() }
}

export function toRouteVersionResource(row: RouteVersionRow): RouteVersionResource {
  return { version: row.version, ...content(row), createdAt: row.createdAt.toISOString() }
}

export async function listRoutes({ services, actor, url }: RouteContext) {
  requirePermission(actor, 'routes.read')
  const page = parseQuery(url, ListQuery)
  const rows = await listRouteRows(services.db, actor.teamId, { limit: page.limit, cursor: page.cursor ?? null })
  return json(toPage(rows, page.limit, toRouteResource))
}

export async function putRoute({ services, actor, request, params }: RouteContext) {
  const body = await parseJsonBody(request, PutRouteBody)
  const result = await saveRoute(services, actor, params.alias ?? '', body)
  return json(toRouteResource(result.route), result.created ? 201 : 200)
}

export async function getRouteByAlias({ services, actor, params }: RouteContext) {
  return json(toRouteResource(await getRoute(services, actor, params.alias ?? '')))
}

export async function removeRoute({ services, actor, params }: RouteContext) {
  await deleteRoute(services, actor, params.alias ?? '')
  return noContent()
}

export async function listRouteVersions({ services, actor, url, params }: RouteContext) {
  const page = parseQuery(url, ListQuery)
  const result = await listVersions(services, actor, params.alias ?? '', { limit: page.limit, cursor: page.cursor ?? null })
  return json({ data: result.data.map(toRouteVersionResource), nextCursor: result.nextCursor })
}

export async function postRouteRollback({ services, actor, request, params }: RouteContext) {
  const body = await parseJsonBody(request, RollbackRouteBody)
  return json(toRouteResource(await rollbackRoute(services, actor, params.alias ?? '', body.version)))
}
