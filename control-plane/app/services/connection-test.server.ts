import { signV4 } from '@switchyard/shared/aws'
import { DEFAULT_BASE_URLS, type ProviderType } from '@switchyard/shared/snapshot'
import { OutboundError, type Outbound, type OutboundErrorCode } from './outbound.server.ts'
import type { ProviderSecret } from './vault.server.ts'

// "Test connection": one cheap authenticated GET per provider type, through the SSRF-guarded
// outbound client. The answer says whether the provider accepted the credential; it never
// contains the credential or the provider's response body.

export interface ConnectionTestResult {
  ok: boolean
  status?: number
  latencyMs: number
  message: string
}

export interface ProbeTarget {
  type: ProviderType
  baseUrl: string | null
  settings: Record<string, unknown>
}

interface Probe {
  url: URL
  headers?: Record<string, string>
  credentials: (url: URL) => Record<string, string>
}

const trim = (base: string) => base.replace(/\/+$/, '')

function stringSetting(settings: Record<string, unknown>, name: string): string {
  const value = settings[name]
  return typeof value === 'string' ? value : ''
}

/** The connection's base URL: its own, else the provider's public default (CONTRACT.md). */
export function effectiveBaseUrl(target: ProbeTarget): string | null {
  if (target.baseUrl) return target.baseUrl
  if (target.type === 'bedrock') {
    const region = stringSetting(target.settings, 'region')
    return region ? `https://bedrock-runtime.${region}.amazonaws.com` : null
  }
  return DEFAULT_BASE_URLS[target.type]
}

function apiKeyOf(secret: ProviderSecret): string {
  return secret.kind === 'apiKey' ? secret.apiKey : ''
}

function bedrockProbe(target: ProbeTarget, secret: ProviderSecret): Probe {
  const region = stringSetting(target.settings, 'region')
  // The model list lives on the control endpoint (bedrock.<region>), not on bedrock-runtime;
  // a custom base URL (a proxy or a fake) is asked directly.
  const url = target.baseUrl
    ? new URL(`${trim(target.baseUrl)}/foundation-models`)
    : new URL(`https://bedrock.${region}.amazonaws.com/foundation-models`)
  return {
    url,
    credentials: (u) => {
      if (secret.kind !== 'aws') return {}
      const { headers } = signV4({ method: 'GET', url: u, region, service: 'bedrock' }, secret)
      const { host: _host, ...rest } = headers
      return rest
    },
  }
}

/** Which URL to GET and how to authenticate, per type. */
export function buildProbe(target: ProbeTarget, secret: ProviderSecret): Probe | null {
  const base = effectiveBaseUrl(target)
  if (target.type === 'bedrock') return bedrockProbe(target, secret)
  if (!base) return null
  const key = apiKeyOf(secret)
  switch (target.type) {
    case 'openai':
    case 'openai-compatible':
      return { url: new URL(`${trim(base)}/models`), credentials: () => ({ authorization: `Bearer ${key}` }) }
    case 'anthropic':
      return {
        url: new URL(`${trim(base)}/v1/models?limit=1`),
        headers: { 'anthropic-version': '2023-06-01' },
        credentials: () => ({ 'x-api-key': key }),
      }
    case 'azure-openai': {
      const url = new URL(`${trim(base)}/openai/models`)
      url.searchParams.set('api-version', stringSetting(target.settings, 'apiVersion'))
      return { url, credentials: () => ({ 'api-key': key }) }
    }
    case 'google':
      // The key goes in a header, never in the URL (URLs end up in logs).
      return { url: new URL(`${trim(base)}/v1beta/models?pageSize=1`), credentials: () => ({ 'x-goog-api-key': key }) }
  }
}

function describeStatus(status: number): string {
  if (status >= 200 && status < 300) return `connected: the provider accepted the credential (HTTP ${status})`
  if (status === 401 || status === 403) return `the provider rejected the credential (HTTP ${status})`
  if (status === 404) return `the endpoint was not found (HTTP ${status}): check the base URL`
  if (status === 429) return `the provider is rate limiting this credential (HTTP ${status}); it is probably valid`
  if (status >= 300 && status < 400) return `the provider answered with a redirect (HTTP ${status}) that was not followed`
  if (status >= 500) return `the provider answered with a server error (HTTP ${status})`
  return `the provider answered HTTP ${status}`
}

const FAILURES: Record<OutboundErrorCode, string> = {
  forbidden_address:
    'the base URL points to a private, loopback, link-local or otherwise non-public address; allow it with SWITCHYARD_ALLOW_PRIVATE_UPSTREAMS',
  invalid_url: 'the base URL (or a redirect) is not an allowed http(s) URL',
  timeout: 'the provider did not answer within 10 seconds',
  dns: 'the host name of the base URL could not be resolved',
  refused: 'the connection to the base URL was refused',
  too_many_redirects: 'the provider redirected more than 3 times',
  network: 'the connection to the base URL failed',
}

export async function runConnectionTest(outbound: Outbound, target: ProbeTarget, secret: ProviderSecret): Promise<ConnectionTestResult> {
  const probe = buildProbe(target, secret)
  if (!probe) return { ok: false, latencyMs: 0, message: 'the connection has no base URL' }
  const started = performance.now()
  const elapsed = () => Math.round(performance.now() - started)
  try {
    const response = await outbound.request({ method: 'GET', url: probe.url, headers: probe.headers ?? {}, credentials: probe.credentials })
    const ok = response.status >= 200 && response.status < 300
    return { ok, status: response.status, latencyMs: elapsed(), message: describeStatus(response.status) }
  } catch (err) {
    const code = err instanceof OutboundError ? err.code : 'network'
    return { ok: false, latencyMs: elapsed(), message: FAILURES[code] }
  }
}
