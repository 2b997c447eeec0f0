import type { OutgoingHttpHeaders } from 'node:http'
import type { FastifyReply } from 'fastify'
import { GatewayError } from '../errors.ts'
import type { RequestContext, UpstreamExchange } from '../pipeline/context.ts'
import type { StreamFramer, StreamEventFacts } from '../providers/types.ts'
import { applyGatewayHeaders, passUpstreamHeaders } from '../plugins/response-headers.ts'
import { type SseEvent, SseDecoder } from '../upstream/sse.ts'
import { type BodySink, upstreamError } from '../upstream/client.ts'
import type { FrameSink, Relaying, StreamPipe } from './relaying.ts'
import { redactFrame } from './secret-redaction.ts'
import { StreamedText } from './streamed-text.ts'

// A streamed upstream answer, pushed chunk by chunk as undici parses it. The chunks one socket
// read yields (a chunked upstream delivers every HTTP chunk — often one per event — separately)
// are taken together at the end of that same tick: split into events, the StreamPipe says what
// the client gets for each (passthrough: its raw bytes, never re-serialized; translated: the
// client's frames), and that is written at once. One decode and one write per read instead of
// one per event, and nothing waits for a later read: no coalescing delay.
// Nothing is sent before the first event with data has arrived: if that event is an in-band
// error (Anthropic's `event: error` on an HTTP 200, e.g. overloaded_error), the stream never
// started, so it is relayed as an error response with the status the error stands for. A
// stream that ends without its end marker, or breaks, after bytes were sent gets a terminal
// in-band error event (unless the upstream's own error event already ended it). Whatever the
// client gets for an upstream error event, opening or later, is redacted (relay/secret-redaction.ts).

type Phase = 'opening' | 'streaming' | 'over'

class StreamRelayer implements BodySink, FrameSink {
  private phase: Phase = 'opening'
  private readonly decoder: SseDecoder | StreamFramer
  /** Upstream chunks of the current tick, not decoded yet. */
  private chunks: Buffer[] = []
  /** What the client gets for the chunks being read. */
  private pieces: (Buffer | string)[] = []
  /** Events before the first one with data (comments), forwarded ahead of it. */
  private lead: SseEvent[] = []
  private sawEnd = false
  private upstreamFailed = false
  private waitingForDrain = false
  private readQueued = false
  private readonly readTask = () => {
    this.readQueued = false
    if (this.read()) this.flush()
  }

  constructor(
    private readonly ctx: RequestContext,
    private readonly reply: FastifyReply,
    private readonly exchange: UpstreamExchange,
    private readonly pipe: StreamPipe,
    framer: StreamFramer | undefined,
    /** Settles the route handler: the stream started (or an error answer was sent), or it failed before any byte. */
    private readonly opened: { resolve: () => void; reject: (err: GatewayError) => void },
    private readonly onDone: () => void,
  ) {
    this.decoder = framer ?? new SseDecoder()
  }

  push(frame: Buffer | string): void {
    this.pieces.push(frame)
  }

  data(chunk: Buffer): void {
    if (this.phase === 'over') return
    this.chunks.push(chunk)
    if (!this.readQueued) {
      this.readQueued = true
      queueMicrotask(this.readTask)
    }
  }

  /** Decodes the chunks taken so far and reads their events; false when that failed the stream. */
  private read(): boolean {
    const chunks = this.chunks
    if (chunks.length === 0 || this.phase === 'over') return this.phase !== 'over'
    this.chunks = []
    try {
      for (const event of this.decoder.push(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks))) this.event(event)
    } catch (err) {
      this.error(upstreamError(err))
      return false
    }
    return true
  }

  end(): void {
    if (this.phase === 'over' || !this.read()) return
    try {
      for (const event of this.decoder.end()) this.event(event)
    } catch (err) {
      this.error(upstreamError(err))
      return
    }
    if (this.phase === 'opening') {
      this.failOpening(new GatewayError('SY_ERR_UPSTREAM_STREAM_INCOMPLETE', 'The upstream provider ended the stream before sending any event.'))
      return
    }
    if (this.phase !== 'streaming') return
    this.flush()
    const { ctx } = this
    const stream = this.result()
    if (!this.sawEnd && !this.upstreamFailed) {
      this.breakOff(new GatewayError('SY_ERR_UPSTREAM_STREAM_INCOMPLETE', 'The upstream provider ended the stream before it was complete.'))
      return
    }
    stream.result = this.sawEnd ? 'success' : 'incomplete'
    // The upstream ended its stream with its own error event: relayed (or translated), nothing added.
    if (!this.sawEnd) ctx.outcome.errorCode = 'SY_ERR_UPSTREAM_STATUS'
    this.finish()
  }

  error(err: GatewayError): void {
    if (this.phase === 'over') return
    // What arrived before the failure still goes out ahead of it.
    if (this.chunks.length > 0 && !this.read()) return
    if (this.phase === 'opening') {
      this.failOpening(err)
      return
    }
    if (this.ctx.cancellation.cancelled) {
      this.result().result = 'client_cancelled'
      this.finish()
      return
    }
    this.breakOff(err.code === 'SY_ERR_UPSTREAM_TIMEOUT' ? err : new GatewayError('SY_ERR_UPSTREAM_STREAM_INCOMPLETE', 'The upstream stream broke off before it was complete.', { cause: err }))
  }

  private event(event: SseEvent): void {
    if (this.phase === 'over') return
    if (!event.hasData) {
      if (this.phase === 'opening') this.lead.push(event)
      else this.pipe.comment(event, this)
      return
    }
    if (this.phase === 'opening') {
      for (const comment of this.lead) this.pipe.comment(comment, this)
      this.lead = []
      const facts = this.pipe.read(event, this)
      if (facts.errorStatus !== undefined) this.answerOpeningError(event, facts)
      else this.start(facts)
      return
    }
    const from = this.pieces.length
    const facts = this.pipe.read(event, this)
    if (facts.errorStatus !== undefined) this.redactFrom(from)
    this.note(facts)
  }

  /** The frames pushed for an upstream error event, from index `from` on, redacted. */
  private redactFrom(from: number): void {
    const provider = this.ctx.target?.provider
    for (let i = from; i < this.pieces.length; i++) this.pieces[i] = redactFrame(this.pieces[i] as Buffer | string, provider)
  }

  private note(facts: StreamEventFacts): void {
    if (facts.done) this.sawEnd = true
    if (facts.errorStatus !== undefined) this.upstreamFailed = true
  }

  /** The first event was an error: the stream never started, the client gets a plain error answer. */
  private answerOpeningError(first: SseEvent, facts: StreamEventFacts): void {
    const { ctx, reply, exchange } = this
    this.phase = 'over'
    this.pieces = []
    exchange.response.body.abort()
    exchange.doneAt = performance.now()
    ctx.outcome.errorCode = 'SY_ERR_UPSTREAM_STATUS'
    const answer = this.pipe.openingError(first, facts)
    if (ctx.keepAlive?.committed) {
      // Keep-alive comments already spent the status: the error goes in-band.
      ctx.keepAlive.failWith(redactFrame(answer.body, ctx.target?.provider))
      this.opened.resolve()
      return
    }
    passUpstreamHeaders(reply, exchange.response.headers)
    reply
      .code(answer.status)
      .header('content-type', answer.contentType ?? 'application/json')
      .send(redactFrame(answer.body, ctx.target?.provider))
    this.opened.resolve()
  }

  /** The first event with data is fine: the response starts, with the upstream's status. */
  private start(facts: StreamEventFacts): void {
    const { ctx, reply, exchange } = this
    this.phase = 'streaming'
    this.note(facts)
    ctx.outcome.stream = { result: 'incomplete' }
    ctx.outcome.streamed = new StreamedText()
    ctx.keepAlive?.stop()
    if (ctx.keepAlive?.committed) {
      // The head went out with the keep-alive comments.
      this.opened.resolve()
      return
    }
    const upstreamType = exchange.response.headers['content-type']
    passUpstreamHeaders(reply, exchange.response.headers)
    reply.header('content-type', this.pipe.contentType(typeof upstreamType === 'string' ? upstreamType : undefined))
    reply.header('cache-control', 'no-cache')
    reply.header('x-accel-buffering', 'no')
    applyGatewayHeaders(reply, ctx)
    reply.hijack()
    reply.raw.writeHead(exchange.response.statusCode, reply.getHeaders() as OutgoingHttpHeaders)
    this.opened.resolve()
  }

  private failOpening(err: GatewayError): void {
    this.phase = 'over'
    this.exchange.response.body.abort()
    this.opened.reject(err)
  }

  /** Writes what the events read so far yield for the client, as one write. */
  private flush(): void {
    const pieces = this.pieces
    if (pieces.length === 0 || this.phase !== 'streaming') return
    this.pieces = []
    const res = this.reply.raw
    if (res.destroyed) return
    this.ctx.outcome.ttftMs ??= Math.round(performance.now() - this.ctx.startedAt)
    const frames = joinFrames(pieces)
    this.ctx.outcome.streamed?.add(frames)
    if (!res.write(frames) && !this.waitingForDrain) {
      this.waitingForDrain = true
      const body = this.exchange.response.body
      body.pause()
      res.once('drain', () => {
        this.waitingForDrain = false
        body.resume()
      })
    }
  }

  private result(): { result: 'success' | 'incomplete' | 'client_cancelled' } {
    return (this.ctx.outcome.stream ??= { result: 'incomplete' })
  }

  /** The stream broke after bytes were sent: a terminal in-band error, logged as incomplete. */
  private breakOff(err: GatewayError): void {
    this.result().result = 'incomplete'
    this.ctx.outcome.errorCode = err.code
    this.flush()
    if (!this.reply.raw.destroyed) this.reply.raw.write(this.pipe.terminalError(err))
    this.finish()
  }

  private finish(): void {
    const { ctx, exchange } = this
    this.phase = 'over'
    exchange.doneAt = performance.now()
    ctx.outcome.usage = this.pipe.usage
    ctx.outcome.model = this.pipe.model
    if (ctx.cancellation.cancelled) exchange.response.body.abort()
    this.reply.raw.end()
    this.onDone()
  }
}

/** One buffer for a chunk's frames: the original bytes when they lie side by side in it. */
function joinFrames(pieces: (Buffer | string)[]): Buffer | string {
  if (pieces.length === 1) return pieces[0] as Buffer | string
  const first = pieces[0]
  if (Buffer.isBuffer(first)) {
    let end = first.byteOffset + first.length
    let contiguous = true
    for (let i = 1; i < pieces.length && contiguous; i++) {
      const piece = pieces[i]
      contiguous = Buffer.isBuffer(piece) && piece.buffer === first.buffer && piece.byteOffset === end
      if (contiguous) end += (piece as Buffer).length
    }
    if (contiguous) return Buffer.from(first.buffer, first.byteOffset, end - first.byteOffset)
  }
  return Buffer.concat(pieces.map((piece) => (typeof piece === 'string' ? Buffer.from(piece) : piece)))
}

/**
 * Relays the stream. Resolves once the response has started (or an opening in-band error was
 * answered instead); rejects with a GatewayError when the upstream failed before any event, so
 * the error handler answers. `onDone` runs when a started stream is over (for the log event).
 */
export function relayStream(ctx: RequestContext, reply: FastifyReply, exchange: UpstreamExchange, relaying: Relaying, onDone: () => void): Promise<void> {
  const framer = ctx.translation ? ctx.target?.adapter.translator?.streamFraming?.create() : undefined
  return new Promise<void>((resolve, reject) => {
    const relayer = new StreamRelayer(ctx, reply, exchange, relaying.stream(), framer, { resolve, reject }, onDone)
    exchange.response.body.pipe(relayer)
  })
}
