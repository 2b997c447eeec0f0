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

const MAX_BODY_BYTES = 1024 * 1024

export async function parseJsonBody<T extends z.ZodType>(request: Request, schema: T): Promise<z.infer<T>> {
  const tooLarge = new ApiError('validation_failed', 'the request body is too large', [
    { path: '(body)', message: `at most ${MAX_BODY_BYTES} bytes` },
  ])
  if (Number(request.headers.get('content-length') ?? 0) > MAX_BODY_BYTES) throw tooLarge
  const text = await request.text()
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) throw tooLarge
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
