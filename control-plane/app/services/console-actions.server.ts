import { data } from '@remix-run/node'
import { ApiError } from '@switchyard/shared/errors'
import type { z } from 'zod'
import type { Actor } from './admin-auth.server.ts'
import type { TeamAuthed } from './auth.server.ts'
import type { FormErrors } from './auth-route.server.ts'

// Glue between console actions and the services the admin API also uses: the session's actor,
// form data parsed with the admin API's zod schemas, and ApiErrors turned into inline errors
// (validation, conflicts) or error pages (404 for another team's ids, 403 for a role).

/** The actor a signed-in member is in the URL's team (requireTeamRole checked the membership). */
export function teamActor(auth: TeamAuthed): Actor {
  return { teamId: auth.team.id, userId: auth.user.id, tokenId: null, role: auth.role }
}

/** Every value of a field, trimmed; empty strings dropped. */
export function formList(form: FormData, name: string): string[] {
  return form
    .getAll(name)
    .map((v) => (typeof v === 'string' ? v.trim() : ''))
    .filter((v) => v !== '')
}

/** A text field, trimmed; empty → undefined (so optional schema fields stay absent). */
export function formText(form: FormData, name: string): string | undefined {
  const value = form.get(name)
  if (typeof value !== 'string') return undefined
  const trimmed = value.trim()
  return trimmed === '' ? undefined : trimmed
}

/** A positive integer field; empty → undefined, anything else non-numeric → NaN (the schema rejects it). */
export function formInt(form: FormData, name: string): number | undefined {
  const text = formText(form, name)
  return text === undefined ? undefined : /^\d+$/.test(text) ? Number(text) : Number.NaN
}

export type FieldNamer = (path: string) => string

/** Zod issues as one message per form field (`path` of the issue, renamed by `fieldOf`). */
export function zodFieldErrors(error: z.ZodError, fieldOf: FieldNamer = (p) => p): Record<string, string> {
  const fieldErrors: Record<string, string> = {}
  for (const issue of error.issues) {
    const field = fieldOf(issue.path.map(String).join('.') || 'form')
    fieldErrors[field] ??= issue.message
  }
  return fieldErrors
}

export type ActionErrors = FormErrors & { intent: string }

export function invalidForm(intent: string, fieldErrors: Record<string, string>) {
  return data<ActionErrors>({ intent, fieldErrors, formError: 'Please correct the highlighted fields.' }, { status: 400 })
}

/**
 * Runs a service call; an ApiError becomes the action's inline errors (validation → 400 with
 * fields, conflict → 409), or an error page for not_found (404) and forbidden (403).
 */
export async function serviceCall<T>(
  intent: string,
  fieldOf: FieldNamer,
  call: () => Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false; response: ReturnType<typeof data<ActionErrors>> }> {
  try {
    return { ok: true, value: await call() }
  } catch (err) {
    if (!(err instanceof ApiError)) throw err
    if (err.code === 'not_found') throw new Response(err.message, { status: 404, statusText: 'Not Found' })
    if (err.code === 'forbidden') throw new Response(err.message, { status: 403, statusText: 'Forbidden' })
    const fieldErrors: Record<string, string> = {}
    for (const d of err.details ?? []) fieldErrors[fieldOf(d.path)] ??= d.message
    const body: ActionErrors = { intent, formError: sentence(err.message), ...(err.details ? { fieldErrors } : {}) }
    return { ok: false, response: data(body, { status: err.status }) }
  }
}

function sentence(message: string): string {
  const text = message.charAt(0).toUpperCase() + message.slice(1)
  return /[.!?]$/.test(text) ? text : `${text}.`
}
