import { request as httpRequest, type IncomingHttpHeaders, type RequestOptions } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { type AddressPolicy, createAddressPolicy, UpstreamForbiddenError } from '@switchyard/shared/net'

// The control plane's own outbound HTTP (e.g. "test connection"), SSRF-guarded: http(s) only,
// no credentials in URLs, the resolved address checked at connect time (so DNS rebinding is
// caught), IP literals checked before connecting, redirects followed by hand (at most 3) with
// every hop checked again, and credentials sent only to the original origin. Hosts listed in
// SWITCHYARD_ALLOW_PRIVATE_UPSTREAMS skip the address check.

export type OutboundErrorCode = 'forbidden_address' | 'invalid_url' | 'timeout' | 'dns' | 'refused' | 'too_many_redirects' | 'network'

export class OutboundError extends Error {
  override name = 'OutboundError'
  constructor(
    readonly code: OutboundErrorCode,
    message: string,
  ) {
    super(message)
  }
}

export interface OutboundRequest {
  method: 'GET'
  url: URL
  /** Headers sent on every hop. */
  headers?: Record<string, string>
  /** Credential headers for a URL: called only for URLs on the original origin. */
  credentials?: (url: URL) => Record<string, string>
  timeoutMs?: number
  maxRedirects?: number
}

export interface OutboundResponse {
  status: number
  headers: IncomingHttpHeaders
  /** The URL that answered (after redirects). */
  url: URL
}

export interface Outbound {
  request(request: OutboundRequest): Promise<OutboundResponse>
  policy: AddressPolicy
}

const REDIRECTS = new Set([301, 302, 303, 307, 308])

function defaultPort(url: URL): string {
  return url.port || (url.protocol === 'https:' ? '443' : '80')
}

/** Scheme and userinfo: checked for every URL before any connection. */
export function checkOutboundUrl(url: URL): void {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new OutboundError('invalid_url', `the ${url.protocol} scheme is not allowed (use http or https)`)
  }
  if (url.username || url.password) throw new OutboundError('invalid_url', 'credentials in the URL are not allowed')
}

function classify(err: unknown): OutboundError {
  if (err instanceof OutboundError) return err
  if (err instanceof UpstreamForbiddenError) return new OutboundError('forbidden_address', err.message)
  const code = typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : ''
  const name = err instanceof Error ? err.name : ''
  if (name === 'AbortError' || name === 'TimeoutError' || code === 'ABORT_ERR') return new OutboundError('timeout', 'no answer in time')
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new OutboundError('dns', 'the host name could not be resolved')
  if (code === 'ERR_INVALID_URL') return new OutboundError('invalid_url', 'a redirect pointed to an invalid URL')
  if (code === 'ECONNREFUSED') return new OutboundError('refused', 'the connection was refused')
  return new OutboundError('network', code ? `the connection failed (${code})` : 'the connection failed')
}

function once(policy: AddressPolicy, url: URL, headers: Record<string, string>, signal: AbortSignal): Promise<OutboundResponse> {
  checkOutboundUrl(url)
  const open = policy.hostAllowed(url.hostname, defaultPort(url))
  if (!open) policy.checkLiteral(url.hostname)
  const options: RequestOptions = { method: 'GET', headers, signal, ...(open ? {} : { lookup: policy.lookup }) }
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest
  return new Promise((resolve, reject) => {
    const req = send(url, options, (res) => {
      // Only the status matters: the body is never read, so it can never be echoed.
      resolve({ status: res.statusCode ?? 0, headers: res.headers, url })
      res.destroy()
    })
    req.on('error', reject)
    req.end()
  })
}

export function createOutbound(options: { allowPrivateUpstreams: string }): Outbound {
  const policy = createAddressPolicy(options.allowPrivateUpstreams)
  return {
    policy,
    async request(request) {
      const signal = AbortSignal.timeout(request.timeoutMs ?? 10_000)
      const maxRedirects = request.maxRedirects ?? 3
      const origin = request.url.origin
      let url = request.url
      try {
        for (let hop = 0; ; hop++) {
          const credentials = url.origin === origin ? (request.credentials?.(url) ?? {}) : {}
          const response = await once(policy, url, { ...request.headers, ...credentials }, signal)
          const location = response.headers.location
          if (!REDIRECTS.has(response.status) || !location) return response
          if (hop >= maxRedirects) throw new OutboundError('too_many_redirects', `more than ${maxRedirects} redirects`)
          url = new URL(location, url)
        }
      } catch (err) {
        throw classify(err)
      }
    },
  }
}
