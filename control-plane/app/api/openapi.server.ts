import { ApiErrorBody, API_ERROR_STATUS } from '@switchyard/shared/errors'
import { z } from 'zod'
import { PERMISSIONS, ROLES } from '../services/permissions.ts'
import type { RouteDefinition } from './router.server.ts'

// openapi.json, generated from the same route table and zod schemas the API validates with.

type JsonSchema = Record<string, unknown>

function schemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema
  return rest
}

function queryParameters(schema: z.ZodType | undefined) {
  if (!schema) return []
  const object = schemaOf(schema, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] }
  return Object.entries(object.properties ?? {}).map(([name, property]) => ({
    name,
    in: 'query',
    required: object.required?.includes(name) ?? false,
    schema: property,
  }))
}

const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
})

function operation(route: RouteDefinition) {
  const pathParameters = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
    name: m[1],
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }))
  const success =
    route.status === 204
      ? { description: 'No content' }
      : {
          description: route.status === 201 ? 'Created' : 'OK',
          content: { 'application/json': { schema: route.response ? schemaOf(route.response, 'output') : {} } },
        }
  const roles: readonly string[] = PERMISSIONS[route.permission]
  return {
    operationId: route.operationId,
    summary: route.summary,
    description: `Requires the \`${route.permission}\` permission (roles: ${roles.join(', ')}).`,
    'x-permission': route.permission,
    tags: [route.tag],
    security: [{ adminToken: [] }],
    parameters: [...pathParameters, ...queryParameters(route.query)],
    ...(route.body
      ? { requestBody: { required: true, content: { 'application/json': { schema: schemaOf(route.body, 'input') } } } }
      : {}),
    responses: {
      [String(route.status)]: success,
      // PUT answers 201 when it creates the resource (routes).
      ...(route.method === 'PUT' ? { '201': { ...success, description: 'Created' } } : {}),
      '401': errorResponse('Missing, malformed or revoked admin token'),
      ...(roles.length < ROLES.length || route.method !== 'GET' ? { '403': errorResponse('The token\'s role lacks the permission') } : {}),
      ...(route.path.includes('{') ? { '404': errorResponse('Not found (also for another team\'s ids)') } : {}),
      ...(route.method === 'POST' || route.method === 'PUT' || route.method === 'PATCH' ? { '409': errorResponse('Conflict') } : {}),
      '422': errorResponse('Validation failed; `details` lists the fields'),
      '500': errorResponse('Internal error'),
    },
  }
}

export function buildOpenApiDocument(routes: RouteDefinition[]) {
  const paths: Record<string, Record<string, unknown>> = {}
  for (const route of routes) {
    const key = `/api/v1${route.path}`
    paths[key] = { ...paths[key], [route.method.toLowerCase()]: operation(route) }
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Switchyard admin API',
      version: '1',
      description: `Error codes: ${Object.entries(API_ERROR_STATUS).map(([c, s]) => `${c} (${s})`).join(', ')}.`,
    },
    servers: [{ url: '/' }],
    paths,
    components: {
      securitySchemes: { adminToken: { type: 'http', scheme: 'bearer', description: 'An admin token (`syadm-…`)' } },
      schemas: { Error: schemaOf(ApiErrorBody, 'output') },
    },
  }
}
