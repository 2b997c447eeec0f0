import type { ProviderTimeouts } from '@switchyard/shared/snapshot'
import { Agent, type Dispatcher } from 'undici'
import { GatewayError } from '../errors.ts'
import { type AddressPolicy, UpstreamForbiddenError } from '@switchyard/shared/net'
import type { Cancellation } from './cancellation.ts'

// The only place that does network I/O to providers. One undici Agent per (address policy,
// connect timeout) pair; each Agent keeps a keep-alive pool per origin, reused across requests.
// Requests go through undici's dispatch handler interface, not `request()`: the body reaches the
// relay as the chunks undici parsed, pushed to a sink (no Readable stream, no async iterator per
// request), with pause/resume for back-pressure. That is most of what a proxy hop costs in Node.

export interface UpstreamRequest {
  url: URL
  method: 'POST' | 'GET'
  headers: Record<string, string>
  body: string | Buffer | null
}

export type UpstreamHeaders = Record<string, string | string[] | undefined>

export interface SendOptions {
  timeouts: ProviderTimeouts
  /** Cancelled when the client goes away (or a strategy cancels the attempt). */
  cancellation: Cancellation
}

/** Where an upstream body's chunks go, in order; exactly one of end/error is called, once. */
export interface BodySink {
  data(chunk: Buffer): void
  end(): void
  error(err: GatewayError): void
}

export interface UpstreamResponse {
  statusCode: number
  /** Lower-case names. */
  headers: UpstreamHeaders
  body: UpstreamBody
}

export interface UpstreamBody {
  /** The whole body (a non-stream answer); rejects with a GatewayError, also once it passes `limitBytes`. */
  readAll(limitBytes?: number): Promise<Buffer>
  /** Delivers the body to `sink` (chunks that arrived before this call first). */
  pipe(sink: BodySink): void
  /** Stop / restart delivery (back-pressure from the client's socket). */
  pause(): void
  resume(): void
  /** Abandons the body: the upstream connection is closed, the sink hears nothing more. */
  abort(): void
}

type Phase = 'waiting' | 'headers' | 'ended' | 'failed'

/**
 * One upstream exchange: undici's handler on one side, the head promise and the body sink on the
 * other. It keeps the provider's time limits itself, with one timer: the total deadline, the
 * first byte (from the request being written), then the idle time between body chunks (a chunk
 * only notes the time; the timer checks it when due). undici's own header/body timers are off:
 * they keep two objects per request alive for half a second, which under load promoted them to
 * the old generation.
 */
class Exchange implements Dispatcher.DispatchHandler, UpstreamBody {
  private controller: Dispatcher.DispatchController | null = null
  private phase: Phase = 'waiting'
  private sink: BodySink | null = null
  private pending: Buffer[] | null = null
  private failure: GatewayError | null = null
  private abandoned = false
  private pauseWanted = false
  private cancelReason: Error | null = null
  private timer: NodeJS.Timeout | null = null
  /** When the timer fires (performance.now() time). */
  private timerDue = 0
  private readonly totalDeadline: number
  /** When the request was written (-1: not yet), and when the last body chunk came. */
  private writtenAt = -1
  private lastDataAt = 0
  private resolveHead!: (response: UpstreamResponse) => void
  private rejectHead!: (err: GatewayError) => void
  readonly head: Promise<UpstreamResponse>

  constructor(private readonly timeouts: ProviderTimeouts) {
    this.head = new Promise<UpstreamResponse>((resolve, reject) => {
      this.resolveHead = resolve
      this.rejectHead = reject
    })
    this.totalDeadline = performance.now() + timeouts.totalMs
    this.schedule()
  }

  /** When the limit that applies now runs out. */
  private due(): number {
    let due = this.totalDeadline
    if (this.phase === 'waiting' && this.writtenAt >= 0) due = Math.min(due, this.writtenAt + this.timeouts.firstByteMs)
    // While the relay holds the body back (a slow client), the silence is not the provider's.
    if (this.phase === 'headers' && !this.pauseWanted) due = Math.min(due, this.lastDataAt + this.timeouts.idleMs)
    return due
  }

  /** Brings the timer forward to the limit that now applies (a later one waits for the timer to come round). */
  private schedule(): void {
    const due = this.due()
    if (this.timer && this.timerDue <= due) return
    if (this.timer) clearTimeout(this.timer)
    this.timerDue = due
    this.timer = setTimeout(this.check, Math.max(1, Math.ceil(due - performance.now())))
    this.timer.unref()
  }

  /** Whichever limit is due: cancel with it, or wait for the next one. */
  private readonly check = () => {
    this.timer = null
    if (this.phase === 'ended' || this.phase === 'failed') return
    if (performance.now() >= this.due()) this.cancel(timeoutError())
    else this.schedule()
  }

  /** Aborts the exchange at any point: before the request started, waiting for headers, or mid-body. */
  cancel(reason: Error): void {
    if (this.phase === 'ended' || this.phase === 'failed') return
    if (this.controller) this.controller.abort(reason)
    else this.cancelReason = reason
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller
    if (this.cancelReason) {
      controller.abort(this.cancelReason)
      return
    }
    // The first-byte limit runs from here.
    this.writtenAt = performance.now()
    this.schedule()
  }

  onResponseStart(controller: Dispatcher.DispatchController, statusCode: number, headers: UpstreamHeaders): void {
    // 1xx interim answers carry nothing for the client: the real head follows.
    if (statusCode < 200) return
    this.phase = 'headers'
    this.lastDataAt = performance.now()
    this.schedule()
    if (this.pauseWanted) controller.pause()
    this.resolveHead({ statusCode, headers, body: this })
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.lastDataAt = performance.now()
    if (this.abandoned) return
    if (this.sink) this.sink.data(chunk)
    else (this.pending ??= []).push(chunk)
  }

  onResponseEnd(): void {
    this.settle()
    this.phase = 'ended'
    if (this.sink) this.sink.end()
  }

  onResponseError(_controller: Dispatcher.DispatchController, err: Error): void {
    this.settle()
    const mapped = upstreamError(err)
    if (this.phase === 'waiting') {
      this.phase = 'failed'
      this.rejectHead(mapped)
      return
    }
    this.phase = 'failed'
    this.failure = mapped
    if (this.sink && !this.abandoned) this.sink.error(mapped)
  }

  // UpstreamBody

  readAll(limitBytes = Number.POSITIVE_INFINITY): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = []
      let size = 0
      let over = false
      this.pipe({
        data: (chunk) => {
          if (over) return
          size += chunk.length
          if (size <= limitBytes) {
            chunks.push(chunk)
            return
          }
          // Stop reading at once: the rest is never buffered.
          over = true
          chunks.length = 0
          this.abort()
          reject(new GatewayError('SY_ERR_UPSTREAM_RESPONSE_TOO_LARGE', `The upstream provider's answer is larger than the gateway accepts (${limitBytes} bytes).`))
        },
        end: () => {
          if (!over) resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks))
        },
        error: (err) => {
          if (!over) reject(err)
        },
      })
    })
  }

  pipe(sink: BodySink): void {
    this.sink = sink
    const pending = this.pending
    this.pending = null
    if (pending) for (const chunk of pending) sink.data(chunk)
    if (this.phase === 'ended') sink.end()
    else if (this.phase === 'failed' && this.failure) sink.error(this.failure)
  }

  pause(): void {
    this.pauseWanted = true
    this.controller?.pause()
  }

  resume(): void {
    this.pauseWanted = false
    this.lastDataAt = performance.now()
    if (this.phase === 'headers') this.schedule()
    this.controller?.resume()
  }

  abort(): void {
    if (this.abandoned) return
    this.abandoned = true
    this.cancel(new DOMException('The client went away.', 'AbortError'))
  }

  private settle(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
  }
}

function timeoutError(): Error {
  return new DOMException('The upstream total timeout elapsed.', 'TimeoutError')
}

export class UpstreamClient {
  private readonly agents = new Map<string, Agent>()
  /** Per origin: whether the address policy lets it through without a guarded DNS lookup. */
  private readonly openOrigins = new Map<string, boolean>()

  constructor(private readonly policy: AddressPolicy) {}

  /** Sends the request; resolves once the upstream's status and headers are in. Rejects with a GatewayError. */
  send(request: UpstreamRequest, options: SendOptions): Promise<UpstreamResponse> {
    const { timeouts, cancellation } = options
    const exchange = new Exchange(timeouts)
    try {
      const agent = this.agent(this.isOpen(request.url), timeouts.connectMs)
      cancellation.onCancel(exchange)
      agent.dispatch(
        {
          origin: request.url.origin,
          path: request.url.pathname + request.url.search,
          method: request.method,
          headers: request.headers,
          body: request.body,
          // The exchange keeps these limits itself (see Exchange).
          headersTimeout: 0,
          bodyTimeout: 0,
        },
        exchange,
      )
    } catch (err) {
      exchange.cancel(err instanceof Error ? err : new Error(String(err)))
      return Promise.reject(upstreamError(err))
    }
    return exchange.head
  }

  async close(): Promise<void> {
    const agents = [...this.agents.values()]
    this.agents.clear()
    await Promise.all(agents.map((a) => a.close().catch(() => a.destroy())))
  }

  /** Throws UpstreamForbiddenError for a scheme other than http(s), or a literal private address the policy refuses. */
  private isOpen(url: URL): boolean {
    const origin = url.origin
    let open = this.openOrigins.get(origin)
    if (open === undefined) {
      // The control plane only stores http(s) base URLs; a snapshot is not trusted to.
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UpstreamForbiddenError(`upstream scheme ${url.protocol} is not allowed`)
      open = this.policy.hostAllowed(url.hostname, url.port || defaultPort(url))
      if (!open) this.policy.checkLiteral(url.hostname)
      if (this.openOrigins.size < 10_000) this.openOrigins.set(origin, open)
    }
    return open
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
