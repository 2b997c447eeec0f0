import { type AppLoadContext, data, type HeadersFunction, redirect } from '@remix-run/node'
import type { AuthDeps, AuthFailure, RequestMeta } from './auth-result.server.ts'
import { listMembershipsOfUser } from '../models/team.server.ts'
import { clientIp } from './auth.server.ts'
import { flashCookie, type Toast } from './session-flash.server.ts'

// Glue between Remix route modules and the auth services: deps from the load context, form
// fields, and failures as inline-error responses with the right status.

export function authDeps(context: AppLoadContext): AuthDeps {
  const { db, mailer, config } = context.services
  return { db, mailer, config }
}

export function requestMeta(context: AppLoadContext): RequestMeta {
  return { ip: clientIp(context) }
}

/** The string fields of a submitted form (files are ignored). */
export async function formFields(request: Request): Promise<Record<string, string>> {
  const form = await request.formData()
  const fields: Record<string, string> = {}
  for (const [key, value] of form) if (typeof value === 'string') fields[key] = value
  return fields
}

export interface FormErrors {
  fieldErrors?: Record<string, string>
  formError?: string
}

const STATUS: Record<AuthFailure['code'], number> = {
  validation_failed: 400,
  invalid_credentials: 401,
  invalid_token: 400,
  conflict: 409,
  rate_limited: 429,
}

/** A failed flow as the action's data: inline errors, 429 with Retry-After when throttled. */
export function failure(result: AuthFailure) {
  const fieldErrors = 'fieldErrors' in result ? result.fieldErrors : undefined
  const body: FormErrors = {
    ...(fieldErrors ? { fieldErrors } : {}),
    ...('message' in result ? { formError: result.message } : {}),
  }
  const headers = result.code === 'rate_limited' ? { 'Retry-After': String(result.retryAfterSeconds) } : undefined
  return data(body, { status: STATUS[result.code], ...(headers ? { headers } : {}) })
}

/** Redirects with a toast (and any other Set-Cookie values). */
export function redirectWithToast(
  to: string,
  toast: Omit<Toast, 'id'>,
  context: AppLoadContext,
  cookies: string[] = [],
): Response {
  const headers = new Headers()
  for (const cookie of [...cookies, flashCookie(toast, context.services.config.production)]) headers.append('Set-Cookie', cookie)
  return redirect(to, { headers })
}

/** What <AppShell> needs: the user and every team they belong to. */
export async function shellData(context: AppLoadContext, auth: { user: { id: string; name: string; email: string; emailVerifiedAt: Date | null } }) {
  const memberships = await listMembershipsOfUser(context.services.db, auth.user.id)
  return {
    user: { name: auth.user.name, email: auth.user.email, emailVerified: auth.user.emailVerifiedAt !== null },
    teams: memberships.map((m) => ({ slug: m.team.slug, name: m.team.name, role: m.role, id: m.team.id })),
  }
}

/** A route's `headers` export: document responses keep the action's Retry-After (429). */
export const passRetryAfter: HeadersFunction = ({ actionHeaders }) => {
  const headers = new Headers()
  const retryAfter = actionHeaders.get('Retry-After')
  if (retryAfter) headers.set('Retry-After', retryAfter)
  return headers
}
