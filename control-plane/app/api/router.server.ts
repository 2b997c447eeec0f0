import { ApiError } from '@switchyard/shared/errors'
import type { z } from 'zod'
import type { Actor } from '../services/admin-auth.server.ts'
import type { AppServices } from '../services/app-services.server.ts'
import type { Permission } from '../services/permissions.ts'

export interface RouteContext {
  request: Request
  url: URL
  params: Record<string, string>
  services: AppServices
  actor: Actor
}

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

/** One admin API operation: its handler plus what openapi.json says about it. */
export interface RouteDefinition {
  method: Method
  /** OpenAPI-style path under /api/v1, e.g. `/providers/{id}`. */
  path: string
  operationId: string
  summary: string
  tag: string
  /** Checked by the dispatcher before the handler runs (permissions.ts); services re-check finer rules. */
  permission: Permission
  body?: z.ZodType
  query?: z.ZodType
  status: 200 | 201 | 204
  response?: z.ZodType
  handler: (context: RouteContext) => Promise<Response>
}

export interface CompiledRoute {
  route: RouteDefinition
  pattern: RegExp
  names: string[]
}

export function compileRoute(route: RouteDefinition): CompiledRoute {
  const names: string[] = []
  const source = route.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    names.push(name)
    return '([^/]+)'
  })
  return { route, pattern: new RegExp(`^${source}/?$`), names }
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment)
  } catch {
    // A client's malformed %-escape (`/providers/%zz`), not a server failure.
    throw new ApiError('bad_request', 'the request path has a malformed %-escape', [{ path: '(path)', message: segment }])
  }
}

/** Finds the route for a path; `allowed` lists the methods the path supports when none match. */
export function matchRoute(routes: CompiledRoute[], method: string, path: string) {
  const allowed: string[] = []
  for (const compiled of routes) {
    const match = compiled.pattern.exec(path)
    if (!match) continue
    if (compiled.route.method !== method) {
      allowed.push(compiled.route.method)
      continue
    }
    const params: Record<string, string> = {}
    compiled.names.forEach((name, i) => {
      params[name] = decodeSegment(match[i + 1] ?? '')
    })
    return { route: compiled.route, params, allowed }
  }
  return { route: null, params: {}, allowed }
}
