import { planConnections, type PlanNode } from '@switchyard/shared/snapshot/plan'
import { type DbClient, Prisma } from '../lib/db.server.ts'
import { afterCursor, NEWEST_FIRST, type PageRequest } from '../lib/pagination.server.ts'

// Routes and their versions, always scoped by team. A route row holds its newest version's
// content; route_versions holds every version (rollback appends a copy, nothing is edited).

const ROUTE_SELECT = {
  id: true,
  alias: true,
  version: true,
  plan: true,
  description: true,
  cache: true,
  createdAt: true,
  updatedAt: true,
} as const

const VERSION_SELECT = { id: true, version: true, plan: true, description: true, cache: true, createdById: true, createdAt: true } as const

export type RouteRow = Prisma.RouteGetPayload<{ select: typeof ROUTE_SELECT }>
export type RouteVersionRow = Prisma.RouteVersionGetPayload<{ select: typeof VERSION_SELECT }>

export interface RouteContent {
  plan: Prisma.InputJsonValue
  description: string | null
  cache: Prisma.InputJsonValue | null
}

function contentData(content: RouteContent) {
  return { plan: content.plan, description: content.description, cache: content.cache ?? Prisma.DbNull }
}

export function getRouteByAlias(db: DbClient, teamId: string, alias: string) {
  return db.route.findFirst({ where: { teamId, alias }, select: ROUTE_SELECT })
}

/** Takes a row lock on the route, so concurrent saves of one alias number their versions in turn. */
export async function lockRouteByAlias(db: Prisma.TransactionClient, teamId: string, alias: string): Promise<void> {
  await db.$queryRaw`SELECT id FROM routes WHERE team_id = ${teamId} AND alias = ${alias} FOR UPDATE`
}

export function listRoutes(db: DbClient, teamId: string, page: PageRequest) {
  return db.route.findMany({
    where: { teamId, ...afterCursor(page.cursor) },
    orderBy: NEWEST_FIRST,
    take: page.limit + 1,
    select: ROUTE_SELECT,
  })
}

export async function createRoute(
  db: Prisma.TransactionClient,
  data: { id: string; versionId: string; teamId: string; alias: string; createdById: string | null } & RouteContent,
) {
  const route = await db.route.create({
    data: { id: data.id, teamId: data.teamId, alias: data.alias, version: 1, ...contentData(data) },
    select: ROUTE_SELECT,
  })
  await db.routeVersion.create({ data: { id: data.versionId, routeId: data.id, version: 1, createdById: data.createdById, ...contentData(data) } })
  return route
}

/** Appends version `version` and makes it the route's current content. */
export async function appendRouteVersion(
  db: Prisma.TransactionClient,
  data: { routeId: string; versionId: string; version: number; createdById: string | null } & RouteContent,
) {
  await db.routeVersion.create({
    data: { id: data.versionId, routeId: data.routeId, version: data.version, createdById: data.createdById, ...contentData(data) },
  })
  return db.route.update({
    where: { id: data.routeId },
    data: { version: data.version, ...contentData(data) },
    select: ROUTE_SELECT,
  })
}

/** Newest first. Paged by version number (the cursor is the last version served). */
export function listRouteVersions(db: DbClient, routeId: string, page: { limit: number; before: number | null }) {
  return db.routeVersion.findMany({
    where: { routeId, ...(page.before === null ? {} : { version: { lt: page.before } }) },
    orderBy: { version: 'desc' },
    take: page.limit + 1,
    select: VERSION_SELECT,
  })
}

export function getRouteVersion(db: DbClient, routeId: string, version: number) {
  return db.routeVersion.findFirst({ where: { routeId, version }, select: VERSION_SELECT })
}

export async function deleteRoute(db: DbClient, teamId: string, id: string): Promise<boolean> {
  const { count } = await db.route.deleteMany({ where: { id, teamId } })
  return count > 0
}

/** Aliases of the team's routes whose current plan (or cache embedding model) names `connection`. */
export async function routesNamingConnection(db: DbClient, teamId: string, connection: string): Promise<string[]> {
  const rows = await db.route.findMany({ where: { teamId }, select: { alias: true, plan: true, cache: true }, orderBy: { alias: 'asc' } })
  return rows
    .filter((r) => {
      // Stored plans were validated when saved.
      const names = planConnections(r.plan as unknown as PlanNode)
      const embedding = (r.cache as { embeddingModel?: unknown } | null)?.embeddingModel
      return names.includes(connection) || (typeof embedding === 'string' && embedding.startsWith(`${connection}/`))
    })
    .map((r) => r.alias)
}

/** Every route's current content, for the snapshot compiler. */
export function listAllRoutesForSnapshot(db: DbClient) {
  return db.route.findMany({
    orderBy: [{ teamId: 'asc' }, { alias: 'asc' }],
    select: { teamId: true, alias: true, version: true, plan: true, cache: true },
  })
}
