import { GuardedRoutePlan, PlanNode, ROUTE_ALIAS_REGEX, RouteCache } from '@switchyard/shared/snapshot/plan'
import { z } from 'zod'

// The admin API's route shapes (CONTRACT.md §Routes). The plan's own schema lives in shared/
// (the console validates with it in the browser, the snapshot carries it).

const Timestamp = z.iso.datetime({ offset: true })

export const RouteAlias = z.string().regex(ROUTE_ALIAS_REGEX, 'an alias is 1–63 of a-z 0-9 . _ - (starting with a letter or digit), never a "/"')

/** PUT replaces the route: an omitted description or cache clears it. */
export const PutRouteBody = z.strictObject({
  plan: GuardedRoutePlan.describe('A plan node (docs/routes.md): target, fallback, weighted, race, hedge, lowest-latency, lowest-cost or conditional'),
  description: z.string().max(500).nullable().optional(),
  cache: RouteCache.nullable().optional(),
})
export type PutRouteBody = z.infer<typeof PutRouteBody>

export const RollbackRouteBody = z.strictObject({ version: z.number().int().positive() })

export const RouteResource = z.object({
  alias: z.string(),
  version: z.number().int().positive(),
  plan: PlanNode,
  description: z.string().nullable(),
  cache: RouteCache.nullable(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
})
export type RouteResource = z.infer<typeof RouteResource>

export const RouteVersionResource = z.object({
  version: z.number().int().positive(),
  plan: PlanNode,
  description: z.string().nullable(),
  cache: RouteCache.nullable(),
  createdAt: Timestamp,
})
export type RouteVersionResource = z.infer<typeof RouteVersionResource>
