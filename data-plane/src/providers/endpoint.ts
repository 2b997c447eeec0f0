import { GatewayError } from '../errors.ts'
import type { RuntimeProvider } from '../runtime/compile.ts'

// Parsed once per connection and path, not per request (a URL parse is a few microseconds on
// the hot path). The cache lives as long as the connection's runtime config: a new snapshot
// compiles new RuntimeProvider objects, and the old entries go with them.
const PATHS_PER_CONNECTION = 256
const urls = new WeakMap<RuntimeProvider, Map<string, URL>>()

/**
 * The connection's SDK-style base URL (CONTRACT.md "Provider base URLs") with `path` appended.
 * Shared between requests: a caller that changes the URL works on its own copy (`new URL(url)`).
 */
export function endpointUrl(provider: RuntimeProvider, path: string): URL {
  let byPath = urls.get(provider)
  const cached = byPath?.get(path)
  if (cached) return cached
  if (!provider.baseUrl) {
    throw new GatewayError('SY_ERR_PROVIDER_MISCONFIGURED', `Provider connection '${provider.name}' has no base URL.`)
  }
  const url = new URL(`${provider.baseUrl.replace(/\/+$/, '')}${path}`)
  if (!byPath) urls.set(provider, (byPath = new Map()))
  if (byPath.size < PATHS_PER_CONNECTION) byPath.set(path, url)
  return url
}

/**
 * A value placed into a URL path as one segment (a model id, a deployment name): percent-encoded,
 * so `/`, `?` and `#` cannot change the path, and never `.` or `..`, which the URL parser would
 * resolve (`/deployments/../chat` is `/chat`). `%2e` cannot slip through: `%` is encoded too.
 */
export function pathSegment(value: string): string {
  if (value === '.' || value === '..') {
    throw new GatewayError('SY_ERR_REQUEST_INVALID', `The model id '${value}' cannot be used: it would change the provider's URL path.`, { param: 'model' })
  }
  try {
    return encodeURIComponent(value)
  } catch {
    // A lone surrogate (only possible from connection settings: model strings are ASCII).
    throw new GatewayError('SY_ERR_REQUEST_INVALID', 'The model id cannot be used in a URL path.', { param: 'model' })
  }
}
