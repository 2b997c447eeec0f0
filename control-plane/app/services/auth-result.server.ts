import type { z } from 'zod'
import type { Db } from '../lib/db.server.ts'
import type { ConsoleConfig } from './auth-config.server.ts'
import type { Mailer } from './email.server.ts'
import { describeWait } from './throttle.server.ts'

// What the auth flows return: values, not exceptions (CONVENTIONS: errors are values with codes).
// Routes turn them into inline form errors or a 429 with Retry-After.

export type AuthFailure =
  | { ok: false; code: 'validation_failed'; fieldErrors: Record<string, string> }
  | { ok: false; code: 'invalid_credentials' | 'invalid_token' | 'conflict'; message: string; fieldErrors?: Record<string, string> }
  | { ok: false; code: 'rate_limited'; message: string; retryAfterSeconds: number }

export type AuthResult<T> = ({ ok: true } & T) | AuthFailure

export function fieldError(field: string, message: string): AuthFailure {
  return { ok: false, code: 'validation_failed', fieldErrors: { [field]: message } }
}

export interface AuthDeps {
  db: Db
  mailer: Mailer
  config: ConsoleConfig
}

/** Where the request came from: per-IP throttling. (Links in emails never come from the request.) */
export interface RequestMeta {
  ip: string
}

export function zodFieldErrors(error: z.ZodError): Record<string, string> {
  const errors: Record<string, string> = {}
  for (const issue of error.issues) {
    const key = String(issue.path[0] ?? 'form')
    errors[key] ??= issue.message
  }
  return errors
}

export function rateLimited(retryAfterSeconds: number): AuthFailure {
  return {
    ok: false,
    code: 'rate_limited',
    message: `Too many attempts. Please wait ${describeWait(retryAfterSeconds)} and try again.`,
    retryAfterSeconds,
  }
}
