import type { ProviderTimeouts } from '@switchyard/shared/snapshot'
import { Agent, type Dispatcher } from 'undici'
import { GatewayError } from '../errors.ts'
import { type AddressPolicy, UpstreamForbiddenError } from '@switchyard/shared/net'

// The only place that does network I/O to providers. One undici Agent per (address policy,
// connect timeout) pair; each Agent keeps a keep-alive pool per origin, reused across requests.

export interface UpstreamRequest {
  url: URL
  method: 'POST' | 'GET'
  headers: Record<string, string>
  body: string | null
}

export type UpstreamResponse = Dispatcher.ResponseData

export interface SendOptions {
  timeouts: ProviderTimeouts
  /** Aborted when the client goes away (or a strategy cancels the attempt). */
  signal: AbortSignal
}

export class UpstreamClient {
  private readonly agents = new Map<string, Agent>()

  constructor(private readonly policy: AddressPolicy) {}

  async send(request: UpstreamRequest, options: SendOptions): Promise<UpstreamResponse> {
    const { timeouts, signal } = options
    const deadline = totalDeadline(timeouts.totalMs)
    try {
      const open = this.policy.hostAllowed(request.url.hostname, request.url.port || defaultPort(request.url))
      if (!open) this.policy.checkLiteral(request.url.hostname)
      const response = await this.agent(open, timeouts.connectMs).request({
        origin: request.url.origin,
        path: request.url.pathname + request.url.search,
        method: request.method,
        headers: request.headers,
        body: request.body,
        signal: AbortSignal.any([signal, deadline.signal]),
        headersTimeout: timeouts.firstByteMs,
        bodyTimeout: timeouts.idleMs,
      })
      response.body.once('close', deadline.clear)
      return response
    } catch (err) {
      deadline.clear()
      throw upstreamError(err)
    }
  }

  async close(): Promise<void> {
    const agents = [...this.agents.values()]
    this.agents.clear()
    await Promise.all(agents.map((a) => a.close().catch(() => a.destroy())))
  }

  private agent(open: boolean, connectMs: number): Agent {
    const key = `${open ? 'open' : 'guarded'}:${connectMs}`
    let agent = this.agents.get(key)
    if (!agent) {
      agent = new Agent({
        connect: open ? { timeout: connectMs } : { timeout: connectMs, lookup: this.policy.lookup },
        keepAliveTimeout: 30_000,
        keepAliveMaxTimeout: 600_000,
      })
      this.agents.set(key, agent)
    }
    return agent
  }
}

/**
 * The total timeout, aborting the exchange (headers and body) after `ms`. Not
 * `AbortSignal.timeout()`: combined through `AbortSignal.any()` that signal is only weakly held,
 * and under GC pressure it was collected and never fired (a stream ran past its totalMs).
 * Here the timer holds the controller; it is cleared when the body closes.
 */
function totalDeadline(ms: number): { signal: AbortSignal; clear: () => void } {
  const controller = new AbortController()
  const timer = setTimeout(() => controller.abort(new DOMException('The upstream total timeout elapsed.', 'TimeoutError')), ms)
  timer.unref()
  return { signal: controller.signal, clear: () => clearTimeout(timer) }
}

function defaultPort(url: URL): string {
  return url.protocol === 'https:' ? '443' : '80'
}

function codeOf(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined
  const code = (err as { code?: unknown }).code
  if (typeof code === 'string') return code
  return codeOf((err as { cause?: unknown }).cause)
}

const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT'])

/** undici and socket errors → GatewayError. Messages name the failure, never the request. */
export function upstreamError(err: unknown): GatewayError {
  if (err instanceof GatewayError) return err
  const code = codeOf(err)
  if (err instanceof UpstreamForbiddenError || code === 'SY_UPSTREAM_FORBIDDEN') {
    return new GatewayError('SY_ERR_UPSTREAM_FORBIDDEN', 'The upstream provider address is not allowed (private or internal network).', { cause: err })
  }
  if ((code && TIMEOUT_CODES.has(code)) || (err instanceof Error && err.name === 'TimeoutError')) {
    return new GatewayError('SY_ERR_UPSTREAM_TIMEOUT', 'The upstream provider did not respond in time.', { cause: err })
  }
  const detail = code && /^[A-Z_]+$/.test(code) ? ` (${code})` : ''
  return new GatewayError('SY_ERR_UPSTREAM_UNREACHABLE', `Could not reach the upstream provider${detail}.`, { cause: err })
}
