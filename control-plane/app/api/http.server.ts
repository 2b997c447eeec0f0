import { ApiError } from '@switchyard/shared/errors'
import type { z } from 'zod'

// Request parsing and response helpers shared by the admin API's route handlers.

export function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json; charset=utf-8' } })
}

export function noContent(): Response {
  return new Response(null, { status: 204 })
}

export function errorResponse(error: ApiError): Response {
  return json(error.toBody(), error.status)
}

function validationError(error: z.ZodError, prefix: string[] = []): ApiError {
  const details = error.issues.map((issue) => ({
    path: [...prefix, ...issue.path.map(String)].join('.') || '(body)',
    message: issue.message,
  }))
  return new ApiError('validation_failed', 'the request is invalid', details)
}

/** The admin API's body limit; server/body-limit.ts enforces it while the body arrives. */
export const ADMIN_API_MAX_BODY_BYTES = 1024 * 1024

export async function parseJsonBody<T extends z.ZodType>(request: Request, schema: T): Promise<z.infer<T>> {
  // A second guard for callers that hand a Request in directly (tests, future mounts).
  const tooLarge = new ApiError('payload_too_large', `the request body is larger than ${ADMIN_API_MAX_BODY_BYTES} bytes`)
  if (Number(request.headers.get('content-length') ?? 0) > ADMIN_API_MAX_BODY_BYTES) throw tooLarge
  const text = await request.text()
  if (Buffer.byteLength(text) > ADMIN_API_MAX_BODY_BYTES) throw tooLarge
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch {
    throw new ApiError('validation_failed', 'the request body is not valid JSON', [
      { path: '(body)', message: 'expected a JSON object' },
    ])
  }
  const result = schema.safeParse(raw)
  if (!result.success) throw validationError(result.error)
  return result.data
}

export function parseQuery<T extends z.ZodType>(url: URL, schema: T): z.infer<T> {
  const result = schema.safeParse(Object.fromEntries(url.searchParams))
  if (!result.success) throw validationError(result.error)
  return result.data
}

export function asJsonObject(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {}
}
