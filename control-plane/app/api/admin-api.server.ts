import { ApiError } from '@switchyard/shared/errors'
import { authenticateAdminToken, requirePermission } from '../services/admin-auth.server.ts'
import type { AppServices } from '../services/app-services.server.ts'
import { errorResponse, json } from './http.server.ts'
import { buildOpenApiDocument } from './openapi.server.ts'
import { compileRoute, matchRoute } from './router.server.ts'
import { ADMIN_ROUTES } from './routes.server.ts'

// The admin API as a plain `Request → Response` function: framework-free, mounted under
// /api/v1 by server/http.ts and tested directly with Request objects.

export const ADMIN_API_PREFIX = '/api/v1'

export interface AdminApi {
  handle(request: Request): Promise<Response>
}

export function createAdminApi(
  services: AppServices,
  options: { log?: (message: string) => void } = {},
): AdminApi {
  const routes = ADMIN_ROUTES.map(compileRoute)
  const openapi = JSON.stringify(buildOpenApiDocument(ADMIN_ROUTES))
  const log = options.log ?? ((message: string) => process.stderr.write(`${message}\n`))

  async function dispatch(request: Request): Promise<Response> {
    const url = new URL(request.url)
    const path = url.pathname.startsWith(ADMIN_API_PREFIX) ? url.pathname.slice(ADMIN_API_PREFIX.length) : url.pathname
    if (path === '/openapi.json' && request.method === 'GET') {
      return new Response(openapi, { headers: { 'content-type': 'application/json; charset=utf-8' } })
    }
    const actor = await authenticateAdminToken(services.db, request.headers.get('authorization'))
    const { route, params, allowed } = matchRoute(routes, request.method, path)
    if (!route) {
      throw new ApiError('not_found', allowed.length > 0 ? `${request.method} is not supported here (use ${allowed.join(', ')})` : 'no such endpoint')
    }
    requirePermission(actor, route.permission)
    return route.handler({ request, url, params, services, actor })
  }

  return {
    async handle(request) {
      try {
        return await dispatch(request)
      } catch (err) {
        if (err instanceof ApiError) return errorResponse(err)
        // Never leak internals: the details go to the operator's log, not to the caller.
        log(`admin api: ${request.method} ${new URL(request.url).pathname} failed: ${(err as Error).stack ?? String(err)}`)
        return json(new ApiError('internal', 'internal error').toBody(), 500)
      }
    },
  }
}
