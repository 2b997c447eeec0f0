import type { OutgoingHttpHeaders } from 'node:http'
import type { FastifyReply } from 'fastify'
import { dialects } from '../dialects/registry.ts'
import { GatewayError } from '../errors.ts'
import type { RequestContext } from '../pipeline/context.ts'
import { renderStreamError, toGatewayError } from '../http/errors.ts'
import { applyGatewayHeaders, passUpstreamHeaders } from '../http/headers.ts'

// SSE keep-alive while a streamed request waits for its first content (G-REL-13): a load
// balancer with a 60 s idle timeout would otherwise cut a healthy stream whose model thinks
// for longer before its first token. Policy:
//   - A streamed request that has sent its client nothing `afterMs` (default 10 s) after it
//     went upstream — no upstream headers yet, or headers but no event with data — commits:
//     the client gets a 200 with SSE headers (the gateway's, and the upstream's if they are
//     in) and a `: keep-alive` comment, then another every `afterMs` until the first content
//     goes out. SSE ignores comments; both official SDKs parse a stream that begins with them.
//   - Before that moment nothing changes: an upstream error is still answered with its status.
//   - After it, the status is spent; any failure before the first content — an upstream error
//     status, an opening in-band error, a timeout, a connection failure — becomes one terminal
//     in-band error event in the client's dialect (the same event a stream that breaks off
//     mid-way ends with), and the request is logged `error` with status 200.
// Every client-facing stream is SSE (a Bedrock upstream is translated into it), so this covers
// every upstream; a request whose client asked for no stream never commits early. It covers
// the chat endpoints (Chat Completions, Messages), whose in-band error is the dialect's own;
// not yet /v1/responses, whose error events carry a sequence number of the stream's.

export const DEFAULT_STREAM_KEEP_ALIVE_MS = 10_000
const COMMENT = ': keep-alive\n\n'

/** The timer's callback, shared: no closure per request. */
function beat(keepAlive: KeepAlive): void {
  keepAlive.beat()
}

export class KeepAlive {
  /** The response head is out: the status can no longer change. */
  committed = false
  private timer: NodeJS.Timeout | null = null

  constructor(
    private readonly ctx: RequestContext,
    private readonly reply: FastifyReply,
    private readonly afterMs: number,
  ) {}

  /** Starts counting (from the request going upstream); a no-op for a request that does not stream. */
  arm(): void {
    if (!this.ctx.stream || this.timer || this.afterMs <= 0) return
    this.timer = setTimeout(beat, this.afterMs, this)
    this.timer.unref()
    this.reply.raw.once('close', () => this.stop())
  }

  /** The first content is going out, or the exchange is over: no more comments. */
  stop(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
  }

  /** Sends one comment (committing the head first); another follows unless stopped. */
  beat(): void {
    const res = this.reply.raw
    // An answer already went out another way (an error status before the deadline).
    if (res.destroyed || res.writableEnded || (!this.committed && (this.reply.sent || res.headersSent))) return this.stop()
    if (!this.committed) this.commit()
    res.write(COMMENT)
    this.timer = setTimeout(beat, this.afterMs, this)
    this.timer.unref()
  }

  private commit(): void {
    const { ctx, reply } = this
    this.committed = true
    if (ctx.upstream) passUpstreamHeaders(reply, ctx.upstream.response.headers)
    reply.header('content-type', 'text/event-stream; charset=utf-8')
    reply.header('cache-control', 'no-cache')
    reply.header('x-accel-buffering', 'no')
    applyGatewayHeaders(reply, ctx)
    reply.hijack()
    reply.raw.writeHead(200, reply.getHeaders() as OutgoingHttpHeaders)
  }

  /** A committed stream failed before its first content: the terminal in-band error, then the end. */
  fail(err: unknown): void {
    this.end(renderStreamError(this.record(toGatewayError(err)), this.ctx.dialect))
  }

  /**
   * A committed stream's upstream answered an error (`body`: already in the client's family and
   * redacted): relayed as the in-band error event, or a gateway one when it is not JSON.
   */
  failWith(body: Buffer | string): void {
    let json: unknown = null
    try {
      json = JSON.parse(body.toString())
    } catch {
      json = null
    }
    const code = 'SY_ERR_UPSTREAM_STATUS'
    this.ctx.outcome.errorCode = code
    if (typeof json === 'object' && json !== null) this.end(dialects[this.ctx.dialect].renderStreamError(json))
    else this.end(renderStreamError(new GatewayError(code, 'The upstream provider failed before the stream started.'), this.ctx.dialect))
  }

  private record(err: GatewayError): GatewayError {
    this.ctx.outcome.errorCode = err.code
    return err
  }

  private end(frame: string): void {
    this.stop()
    const res = this.reply.raw
    if (res.destroyed || res.writableEnded) return
    res.end(frame)
  }
}
