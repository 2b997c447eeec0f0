import { z } from 'zod'

// The admin API's error vocabulary (CONTRACT.md). Errors are values with a code; the HTTP
// status is derived from the code in exactly one place.
export const API_ERROR_STATUS = {
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  validation_failed: 422,
  rate_limited: 429,
  internal: 500,
  /** Not in CONTRACT.md's list: a request that cannot be parsed at all (e.g. a malformed %-escape in the path). */
  bad_request: 400,
  /** Not in CONTRACT.md's list: a body over the admin API's limit (control-plane/server/body-limit.ts). */
  payload_too_large: 413,
} as const

export type ApiErrorCode = keyof typeof API_ERROR_STATUS

export const ApiErrorBody = z.object({
  error: z.object({
    code: z.enum(Object.keys(API_ERROR_STATUS) as [ApiErrorCode, ...ApiErrorCode[]]),
    message: z.string(),
    details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
})
export type ApiErrorBody = z.infer<typeof ApiErrorBody>

export class ApiError extends Error {
  override name = 'ApiError'
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly details?: { path: string; message: string }[],
  ) {
    super(message)
  }

  get status(): number {
    return API_ERROR_STATUS[this.code]
  }

  toBody(): ApiErrorBody {
    return { error: { code: this.code, message: this.message, ...(this.details ? { details: this.details } : {}) } }
  }
}
