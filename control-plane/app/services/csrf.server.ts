// CSRF protection for every Remix action (docs/decisions/004-sessions.md). server/http.ts
// runs `isAllowedOrigin` in front of the Remix handler for every request, so no route can
// forget it: a state-changing method (anything but GET/HEAD/OPTIONS) needs an `Origin` header
// naming this server (its Host header, or SWITCHYARD_PUBLIC_URL). The admin API is mounted
// before it and is exempt: it authenticates with Bearer tokens, which browsers never attach.

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

export interface OriginCheckInput {
  method: string
  /** The `Origin` request header. */
  origin: string | undefined | null
  /** The `Host` request header (what the browser connected to). */
  host: string | undefined | null
  /** SWITCHYARD_PUBLIC_URL's origin, when set (e.g. behind a TLS proxy that rewrites Host). */
  publicOrigin: string | null
}

function hostOf(origin: string): string | null {
  try {
    const url = new URL(origin)
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.host : null
  } catch {
    return null
  }
}

export function isAllowedOrigin(input: OriginCheckInput): boolean {
  if (SAFE_METHODS.has(input.method.toUpperCase())) return true
  // `Origin: null` (sandboxed frames, some redirects) and a missing header are both refused.
  if (!input.origin || input.origin === 'null') return false
  if (input.publicOrigin && input.origin === input.publicOrigin) return true
  const originHost = hostOf(input.origin)
  return originHost !== null && !!input.host && originHost.toLowerCase() === input.host.toLowerCase()
}

export const CSRF_REJECTION_MESSAGE = 'Cross-site request refused: this form must be submitted from the Switchyard console.'
