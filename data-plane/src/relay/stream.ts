import type { OutgoingHttpHeaders } from 'node:http'
import type { FastifyReply } from 'fastify'
import { GatewayError } from '../errors.ts'
import type { RequestContext, UpstreamExchange } from '../pipeline/context.ts'
import type { StreamFramer, StreamEventFacts } from '../providers/types.ts'
import { classifyGatewayError, classifyStreamError } from '../providers/error-kinds.ts'
import type { AttemptRecord } from '../plan/attempt-record.ts'
import { applyGatewayHeaders, passUpstreamHeaders } from '../http/headers.ts'
import { type SseEvent, SseDecoder } from '../upstream/sse.ts'
import { type BodySink, upstreamError } from '../upstream/client.ts'
import type { FrameSink, Relaying, StreamPipe } from './relaying.ts'
import { redactFrame } from './secret-redaction.ts'
import { StreamedText } from './streamed-text.ts'

// A streamed upstream answer, in two steps. `open` (the executor, plan/attempt.ts) reads it up to
// its first event with data: an error before it is a failed attempt, where a strategy decides;
// nothing has reached the client yet. `pump` (the route) starts the response and relays the
// rest, pushed chunk by chunk as undici parses it. The chunks one socket
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

/** A stream read up to its first content event (or its opening error event): what the route answers with. */
export interface OpenedStream {
  /** The first event was an in-band error: the attempt failed; pump answers it as an error response. */
  readonly openingError: boolean
  /**
   * Starts the response and relays the rest (or answers the opening error). `onDone` runs when
   * a started stream is over (the request's finish point).
   */
  pump(reply: FastifyReply, onDone: () => void): void
}

// opening: before the first event with data; opened: it was read, the response is not started
// (what arrives meanwhile is read and held); streaming: pumping; over.
type Phase = 'opening' | 'opened' | 'streaming' | 'over'

class StreamRelayer implements BodySink, FrameSink, OpenedStream {
  private phase: Phase = 'opening'
  openingError = false
  private reply: FastifyReply | null = null
  private onDone: () => void = noop
  /** The first event, when it was an error, and its facts: answered by pump. */
  private opening: { first: SseEvent; facts: StreamEventFacts } | null = null
  /** The upstream ended (or failed) while opened: handled once pumping. */
  private deferred: { err: GatewayError | null } | null = null
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
    private readonly attempt: AttemptRecord,
    private readonly exchange: UpstreamExchange,
    private readonly pipe: StreamPipe,
    framer: StreamFramer | undefined,
    /** Settles open: the first event was read (content or an error event), or the stream failed before any. */
    private readonly opened: { resolve: (stream: OpenedStream) => void; reject: (err: GatewayError) => void },
  ) {
    this.decoder = framer ?? new SseDecoder()
  }

  pump(reply: FastifyReply, onDone: () => void): void {
    this.reply = reply
    this.onDone = onDone
    if (this.opening) {
      this.answerOpeningError(reply, this.opening.first, this.opening.facts)
      return
    }
    if (this.phase !== 'opened') return
    this.start(reply)
    const deferred = this.deferred
    this.deferred = null
    if (!deferred) this.flush()
    else if (deferred.err) this.error(deferred.err)
    else this.end()
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
    // Read (and held) up to here; the rest once pumping.
    if (this.phase === 'opened') {
      this.deferred = { err: null }
      return
    }
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
    if (this.phase === 'opened') {
      this.deferred = { err }
      return
    }
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
      if (facts.errorStatus !== undefined) this.failOpeningEvent(event, facts)
      else {
        this.phase = 'opened'
        this.note(facts)
        this.opened.resolve(this)
      }
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

  /** The first event was an error: the stream never started, the attempt failed (pump answers it as an error). */
  private failOpeningEvent(first: SseEvent, facts: StreamEventFacts): void {
    const { ctx, exchange } = this
    this.phase = 'over'
    this.pieces = []
    exchange.response.body.abort()
    exchange.doneAt = performance.now()
    ctx.outcome.errorCode = 'SY_ERR_UPSTREAM_STATUS'
    const status = facts.errorStatus ?? 502
    const errorKind = classifyStreamError(ctx.target?.adapter.errorKinds ?? { names: {} }, { data: first.data, status }, false)
    this.attempt.end('error', { status, errorKind, errorCode: 'SY_ERR_UPSTREAM_STATUS' })
    this.opening = { first, facts }
    this.openingError = true
    this.opened.resolve(this)
  }

  /** The client gets a plain error answer for the opening error event. */
  private answerOpeningError(reply: FastifyReply, first: SseEvent, facts: StreamEventFacts): void {
    const { ctx, exchange } = this
    const answer = this.pipe.openingError(first, facts)
    if (ctx.keepAlive?.committed) {
      // Keep-alive comments already spent the status: the error goes in-band.
      ctx.keepAlive.failWith(redactFrame(answer.body, ctx.target?.provider))
      return
    }
    passUpstreamHeaders(reply, exchange.response.headers)
    reply
      .code(answer.status)
      .header('content-type', answer.contentType ?? 'application/json')
      .send(redactFrame(answer.body, ctx.target?.provider))
  }

  /** The first event with data was fine: the response starts, with the upstream's status. */
  private start(reply: FastifyReply): void {
    const { ctx, exchange } = this
    this.phase = 'streaming'
    ctx.outcome.stream = { result: 'incomplete' }
    ctx.outcome.streamed = new StreamedText()
    ctx.keepAlive?.stop()
    // The head went out with the keep-alive comments.
    if (ctx.keepAlive?.committed) return
    const upstreamType = exchange.response.headers['content-type']
    passUpstreamHeaders(reply, exchange.response.headers)
    reply.header('content-type', this.pipe.contentType(typeof upstreamType === 'string' ? upstreamType : undefined))
    reply.header('cache-control', 'no-cache')
    reply.header('x-accel-buffering', 'no')
    applyGatewayHeaders(reply, ctx)
    reply.hijack()
    reply.raw.writeHead(exchange.response.statusCode, reply.getHeaders() as OutgoingHttpHeaders)
  }

  private failOpening(err: GatewayError): void {
    this.phase = 'over'
    this.exchange.response.body.abort()
    this.attempt.end(this.ctx.cancellation.cancelled ? 'cancelled' : 'error', { errorKind: classifyGatewayError(err), errorCode: err.code })
    this.opened.reject(err)
  }

  /** Writes what the events read so far yield for the client, as one write. */
  private flush(): void {
    const pieces = this.pieces
    if (pieces.length === 0 || this.phase !== 'streaming' || !this.reply) return
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
    const res = this.reply?.raw
    if (res && !res.destroyed) res.write(this.pipe.terminalError(err))
    this.finish()
  }

  private finish(): void {
    const { ctx, exchange } = this
    this.phase = 'over'
    exchange.doneAt = performance.now()
    ctx.outcome.usage = this.pipe.usage
    ctx.outcome.model = this.pipe.model
    const result = ctx.outcome.stream?.result
    if (result === 'success') this.attempt.end('success', { usage: this.pipe.usage })
    else if (result === 'client_cancelled') this.attempt.end('cancelled', { usage: this.pipe.usage })
    else this.attempt.end('error', { usage: this.pipe.usage, errorKind: 'stream_error', errorCode: ctx.outcome.errorCode })
    if (ctx.cancellation.cancelled) exchange.response.body.abort()
    this.reply?.raw.end()
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

function noop(): void {}

/**
 * Opens the stream: resolves once its first event with data was read (content, or an in-band
 * error: `openingError`), before anything is sent to the client; rejects with a GatewayError
 * when the upstream failed before any event (the attempt failed; the error handler answers).
 */
export function openStream(ctx: RequestContext, attempt: AttemptRecord, exchange: UpstreamExchange, relaying: Relaying): Promise<OpenedStream> {
  const framer = ctx.translation ? ctx.target?.adapter.translator?.streamFraming?.create() : undefined
  return new Promise<OpenedStream>((resolve, reject) => {
    const relayer = new StreamRelayer(ctx, attempt, exchange, relaying.stream(), framer, { resolve, reject })
    exchange.response.body.pipe(relayer)
  })
}
