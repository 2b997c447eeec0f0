import { planConnections, type RouteCache, RoutePlan, RouteCache as RouteCacheSchema } from '@switchyard/shared/snapshot/plan'
import type { SnapshotRoute } from '@switchyard/shared/snapshot'
import type { Prisma } from '../lib/db.server.ts'

// Routes as the snapshot carries them. Saving already checked each plan and its connections;
// compiling checks again (a connection may have gone by a path the save guard did not see), and
// leaves out a route that fails rather than refusing the whole snapshot: one broken route must
// not freeze every team's configuration. A left-out alias answers 404 at the gateway.

export interface RouteRowForSnapshot {
  teamId: string
  alias: string
  version: number
  plan: Prisma.JsonValue
  cache: Prisma.JsonValue
}

export interface SkippedRoute {
  teamId: string
  alias: string
  reason: string
}

export function compileRoutes(
  rows: RouteRowForSnapshot[],
  providers: { teamId: string; name: string }[],
): { routes: SnapshotRoute[]; skipped: SkippedRoute[] } {
  const connections = new Set(providers.map((p) => `${p.teamId}\u0000${p.name}`))
  const routes: SnapshotRoute[] = []
  const skipped: SkippedRoute[] = []
  for (const row of rows) {
    const plan = RoutePlan.safeParse(row.plan)
    const cache = row.cache === null ? null : RouteCacheSchema.safeParse(row.cache)
    if (!plan.success || (cache && !cache.success)) {
      skipped.push({ teamId: row.teamId, alias: row.alias, reason: 'its stored plan or cache no longer validates' })
      continue
    }
    const missing = planConnections(plan.data).filter((name) => !connections.has(`${row.teamId}\u0000${name}`))
    if (missing.length > 0) {
      skipped.push({ teamId: row.teamId, alias: row.alias, reason: `it names unknown connections: ${missing.join(', ')}` })
      continue
    }
    routes.push({ teamId: row.teamId, alias: row.alias, version: row.version, plan: plan.data, cache: (cache?.data ?? null) as RouteCache | null })
  }
  return { routes, skipped }
}
