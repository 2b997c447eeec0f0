// The session cookie (docs/decisions/004-sessions.md): HttpOnly, SameSite=Lax, Path=/; in
// production also Secure with the __Host- prefix (no Domain, so no subdomain can set or read it).

export const DEV_SESSION_COOKIE = 'switchyard_session'
export const PROD_SESSION_COOKIE = '__Host-switchyard_session'

export function sessionCookieName(production: boolean): string {
  return production ? PROD_SESSION_COOKIE : DEV_SESSION_COOKIE
}

function attributes(production: boolean): string {
  return `Path=/; HttpOnly; SameSite=Lax${production ? '; Secure' : ''}`
}

/**
 * The cookie lives until the session's absolute end; the server enforces the sliding expiry,
 * so the cookie never has to be re-sent when a session is extended.
 */
export function serializeSessionCookie(token: string, absoluteExpiresAt: Date, production: boolean): string {
  const maxAge = Math.max(0, Math.floor((absoluteExpiresAt.getTime() - Date.now()) / 1000))
  return `${sessionCookieName(production)}=${token}; ${attributes(production)}; Max-Age=${maxAge}; Expires=${absoluteExpiresAt.toUTCString()}`
}

export function serializeBlankSessionCookie(production: boolean): string {
  return `${sessionCookieName(production)}=; ${attributes(production)}; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT`
}

/** A named cookie's value from a Cookie header, or null. */
export function readCookie(header: string | null, name: string): string | null {
  if (!header) return null
  for (const part of header.split(';')) {
    const eq = part.indexOf('=')
    if (eq === -1) continue
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim() || null
  }
  return null
}

export function readSessionToken(request: Request, production: boolean): string | null {
  return readCookie(request.headers.get('cookie'), sessionCookieName(production))
}
