import type { RouteDefinition } from './router.server.ts'
import { getRouteByAlias, listRoutes, listRouteVersions, postRouteRollback, putRoute, removeRoute } from './routes/routes.server.ts'
import { PutRouteBody, RollbackRouteBody, RouteResource, RouteVersionResource } from './route-schemas.ts'
import { listOf, ListQuery } from './schemas.ts'

// The admin API's routes (named plans, CONTRACT.md §Routes). Part of ADMIN_ROUTES (routes.server.ts).
export const ROUTE_ROUTES: RouteDefinition[] = [
  {
    method: 'GET', path: '/routes', operationId: 'listRoutes', permission: 'routes.read', tag: 'routes',
    summary: 'List routes, newest first', query: ListQuery, status: 200, response: listOf(RouteResource), handler: listRoutes,
  },
  {
    method: 'PUT', path: '/routes/{alias}', operationId: 'putRoute', permission: 'routes.write', tag: 'routes',
    summary: 'Create (201, version 1) or replace (200, the next version) a route; an identical PUT creates no version and answers the current route. Targets must name the team\'s own connections',
    body: PutRouteBody, status: 200, response: RouteResource, handler: putRoute,
  },
  {
    method: 'GET', path: '/routes/{alias}', operationId: 'getRoute', permission: 'routes.read', tag: 'routes',
    summary: 'Get a route (its current version)', status: 200, response: RouteResource, handler: getRouteByAlias,
  },
  {
    method: 'DELETE', path: '/routes/{alias}', operationId: 'deleteRoute', permission: 'routes.write', tag: 'routes',
    summary: 'Delete a route and all its versions', status: 204, handler: removeRoute,
  },
  {
    method: 'GET', path: '/routes/{alias}/versions', operationId: 'listRouteVersions', permission: 'routes.read', tag: 'routes',
    summary: 'List a route\'s versions, newest first, each with its plan', query: ListQuery, status: 200, response: listOf(RouteVersionResource), handler: listRouteVersions,
  },
  {
    method: 'POST', path: '/routes/{alias}/rollback', operationId: 'rollbackRoute', permission: 'routes.write', tag: 'routes',
    summary: 'Append a new version equal to an earlier one and publish it; answers the new route',
    body: RollbackRouteBody, status: 200, response: RouteResource, handler: postRouteRollback,
  },
]
