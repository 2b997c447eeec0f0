// CSRF protection for every Remix action (docs/decisions/004-sessions.md). server/http.ts
// runs `isAllowedOrigin` in front of the Remix handler for every request, so no route can
// forget it: a state-changing method (anything but GET/HEAD/OPTIONS) needs an `Origin` header
// naming the console's configured public origin (ConsoleConfig.publicUrl), never whatever the
// request's Host header says. The admin API is mounted before it and is exempt: it
// authenticates with Bearer tokens, which browsers never attach.

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]'])

export interface OriginCheckInput {
  method: string
  /** The `Origin` request header. */
  origin: string | undefined | null
  /** The console's public origin (SWITCHYARD_PUBLIC_URL, or the configured host and port). */
  publicOrigin: string
}

function parseOrigin(origin: string): URL | null {
  try {
    const url = new URL(origin)
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : null
  } catch {
    return null
  }
}

/**
 * A loopback public origin also accepts the other loopback names of the same scheme and port
 * (`localhost:3000` for `127.0.0.1:3000`): only this machine can serve a page from them.
 */
function sameConsole(origin: URL, configured: URL): boolean {
  if (origin.origin === configured.origin) return true
  return (
    LOOPBACK_HOSTS.has(configured.hostname) &&
    LOOPBACK_HOSTS.has(origin.hostname) &&
    origin.protocol === configured.protocol &&
    origin.port === configured.port
  )
}

export function isAllowedOrigin(input: OriginCheckInput): boolean {
  if (SAFE_METHODS.has(input.method.toUpperCase())) return true
  // `Origin: null` (sandboxed frames, some redirects) and a missing header are both refused.
  if (!input.origin || input.origin === 'null') return false
  const origin = parseOrigin(input.origin)
  const configured = parseOrigin(input.publicOrigin)
  return origin !== null && configured !== null && sameConsole(origin, configured)
}

export const CSRF_REJECTION_MESSAGE = 'Cross-site request refused: this form must be submitted from the Switchyard console.'
