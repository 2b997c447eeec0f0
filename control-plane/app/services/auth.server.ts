import { type AppLoadContext, redirect } from '@remix-run/node'
import { findMembershipByTeamSlug } from '../models/team.server.ts'
import { can, type Permission, type TeamRole } from './permissions.ts'
import { readSessionToken, serializeBlankSessionCookie, serializeSessionCookie } from './session-cookie.server.ts'
import { createSession, type SessionUser, type ValidSession, validateSessionToken } from './session.server.ts'

// The request guards of the console: every loader and action starts with one of these.
// requireUser → a signed-in user or a redirect to /login; requireAnonymous → the auth pages
// bounce signed-in users; requireTeamRole → membership of the URL's team (another team's slug
// is 404, never 403, so slugs do not leak) and a permission from THE table (permissions.ts).

export interface Authed {
  user: SessionUser
  session: ValidSession
}

export interface TeamAuthed extends Authed {
  team: { id: string; name: string; slug: string }
  role: TeamRole
}

async function readAuth(request: Request, context: AppLoadContext): Promise<{ auth: Authed | null; hadToken: boolean }> {
  const { db, config } = context.services
  const token = readSessionToken(request, config.production)
  if (!token) return { auth: null, hadToken: false }
  return { auth: await validateSessionToken(db, token), hadToken: true }
}

export async function getOptionalAuth(request: Request, context: AppLoadContext): Promise<Authed | null> {
  return (await readAuth(request, context)).auth
}

// Any fixed origin gives the same answer as the console's own: only "is it this origin" matters.
const REDIRECT_BASE = 'http://console.switchyard.invalid'

/**
 * A `redirectTo` as a same-origin path, else `fallback`. The value is resolved the way a browser
 * resolves a Location header (WHATWG URL: tabs and newlines dropped, `\\` read as `/`, dot
 * segments removed), so `/%09/evil.example` (a tab once decoded), `/\\evil.example` and
 * `/.//evil.example` are all caught; the result is the normalised path, never the raw input.
 */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = '/'): string {
  if (typeof to !== 'string' || !to.startsWith('/')) return fallback
  let url: URL
  try {
    url = new URL(to, REDIRECT_BASE)
  } catch {
    return fallback
  }
  if (url.origin !== REDIRECT_BASE) return fallback
  const path = `${url.pathname}${url.search}${url.hash}`
  // `//host` would be read as another origin by the browser.
  return path.startsWith('//') ? fallback : path
}

export async function requireUser(request: Request, context: AppLoadContext): Promise<Authed> {
  const { auth, hadToken } = await readAuth(request, context)
  if (auth) return auth
  const url = new URL(request.url)
  const back = url.pathname === '/' ? '' : `?redirectTo=${encodeURIComponent(url.pathname + url.search)}`
  const headers = new Headers()
  // A stale cookie (expired or revoked session) is cleared on the way to the login page.
  if (hadToken) headers.append('Set-Cookie', serializeBlankSessionCookie(context.services.config.production))
  throw redirect(`/login${back}`, { headers })
}

export async function requireAnonymous(request: Request, context: AppLoadContext): Promise<void> {
  if ((await readAuth(request, context)).auth) throw redirect('/')
}

export async function requireTeamRole(
  request: Request,
  context: AppLoadContext,
  teamSlug: string | undefined,
  permission: Permission,
): Promise<TeamAuthed> {
  const authed = await requireUser(request, context)
  const membership = teamSlug ? await findMembershipByTeamSlug(context.services.db, authed.user.id, teamSlug) : null
  if (!membership) throw new Response('Team not found', { status: 404, statusText: 'Not Found' })
  if (!can(membership.role, permission)) {
    throw new Response('Your role in this team does not allow this', { status: 403, statusText: 'Forbidden' })
  }
  return { ...authed, team: membership.team, role: membership.role }
}

/** Opens a session for `userId`; returns the Set-Cookie header value for the response. */
export async function startSession(
  request: Request,
  context: AppLoadContext,
  input: { userId: string; activeTeamId?: string | null },
): Promise<string> {
  const { token, session } = await createSession(context.services.db, {
    userId: input.userId,
    activeTeamId: input.activeTeamId ?? null,
    ip: context.clientIp ?? null,
    userAgent: request.headers.get('user-agent'),
  })
  return serializeSessionCookie(token, session.absoluteExpiresAt, context.services.config.production)
}

export function endSessionCookie(context: AppLoadContext): string {
  return serializeBlankSessionCookie(context.services.config.production)
}

/** The client's address for per-IP throttling (set by server/http.ts). */
export function clientIp(context: AppLoadContext): string {
  return context.clientIp ?? 'unknown'
}
