import { GatewayError } from '../errors.ts'
import type { RuntimeProvider } from '../runtime/compile.ts'

/** The connection's SDK-style base URL (CONTRACT.md "Provider base URLs") with `path` appended. */
export function endpointUrl(provider: RuntimeProvider, path: string): URL {
  if (!provider.baseUrl) {
    throw new GatewayError('SY_ERR_PROVIDER_MISCONFIGURED', `Provider connection '${provider.name}' has no base URL.`)
  }
  return new URL(`${provider.baseUrl.replace(/\/+$/, '')}${path}`)
}
