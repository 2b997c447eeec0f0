import { once } from 'node:events'
import { PassThrough } from 'node:stream'
import type { FastifyReply } from 'fastify'
import { GatewayError } from '../errors.ts'
import type { RequestContext, UpstreamExchange } from '../pipeline/context.ts'
import type { StreamFramer } from '../providers/types.ts'
import { passUpstreamHeaders } from '../plugins/response-headers.ts'
import { type SseEvent, SseDecoder } from '../upstream/sse.ts'
import { upstreamError } from '../upstream/client.ts'
import type { DataEvent, Relaying, StreamPipe, StreamStep } from './relaying.ts'

// A streamed upstream answer, one upstream SSE event at a time: the StreamPipe says what to send
// for it (passthrough: its raw bytes, never re-serialized; translated: the client's frames),
// one write per event (no coalescing).
// Nothing is sent before the first event with data has arrived: if that event is an in-band
// error (Anthropic's `event: error` on an HTTP 200, e.g. overloaded_error), the stream never
// started, so it is relayed as an error response with the status the error stands for. A
// stream that ends without its end marker, or breaks, after bytes were sent gets a terminal
// in-band error event (unless the upstream's own error event already ended it).

export interface StreamRelay {
  sent: FastifyReply
  /** Resolves when the stream is over; null when the reply is a whole (error) answer instead. */
  done: Promise<void> | null
}

interface Opening {
  /** Events before the first one with data (comments), forwarded ahead of it. */
  lead: SseEvent[]
  first: DataEvent
  step: StreamStep
}

export async function relayStream(ctx: RequestContext, reply: FastifyReply, exchange: UpstreamExchange, relaying: Relaying): Promise<StreamRelay> {
  const events = sseEvents(exchange.response.body, ctx.translation ? ctx.target?.adapter.translator?.streamFraming?.create() : undefined)
  const pipe = relaying.stream()
  const opening = await openStream(events, pipe)
  passUpstreamHeaders(reply, exchange.response.headers)
  if (opening.step.facts.errorStatus !== undefined) {
    events.return(undefined).catch(() => {})
    exchange.doneAt = performance.now()
    ctx.outcome.errorCode = 'SY_ERR_UPSTREAM_STATUS'
    const answer = pipe.openingError(opening.first, opening.step)
    const sent = reply.code(answer.status).header('content-type', answer.contentType ?? 'application/json').send(answer.body)
    return { sent, done: null }
  }
  const out = new PassThrough()
  const upstreamType = exchange.response.headers['content-type']
  reply.header('content-type', pipe.contentType(typeof upstreamType === 'string' ? upstreamType : undefined))
  reply.header('cache-control', 'no-cache')
  reply.header('x-accel-buffering', 'no')
  ctx.outcome.stream = { result: 'incomplete' }
  const done = pump({ ctx, exchange, events, pipe, opening, out })
  return { done, sent: reply.code(exchange.response.statusCode).send(out) }
}

/** SSE, or the provider's own framing (Bedrock's event stream) split into SSE-shaped events. */
async function* sseEvents(body: AsyncIterable<unknown>, framer: StreamFramer | undefined): AsyncGenerator<SseEvent, void, undefined> {
  const decoder = framer ?? new SseDecoder()
  for await (const chunk of body) yield* decoder.push(chunk as Buffer)
  yield* decoder.end()
}

/** Reads up to the first event with data. Failing here, nothing was sent: a plain error reply. */
async function openStream(events: AsyncGenerator<SseEvent, void, undefined>, pipe: StreamPipe): Promise<Opening> {
  const lead: SseEvent[] = []
  try {
    for (;;) {
      const next = await events.next()
      if (next.done) {
        throw new GatewayError('SY_ERR_UPSTREAM_STREAM_INCOMPLETE', 'The upstream provider ended the stream before sending any event.')
      }
      const { data } = next.value
      if (data === null) {
        lead.push(next.value)
        continue
      }
      const first = { ...next.value, data }
      return { lead, first, step: pipe.read(first) }
    }
  } catch (err) {
    throw upstreamError(err)
  }
}

interface PumpInput {
  ctx: RequestContext
  exchange: UpstreamExchange
  events: AsyncGenerator<SseEvent, void, undefined>
  pipe: StreamPipe
  opening: Opening
  out: PassThrough
}

async function pump({ ctx, exchange, events, pipe, opening, out }: PumpInput): Promise<void> {
  const stream = ctx.outcome.stream as { result: 'success' | 'incomplete' | 'client_cancelled' }
  let sawEnd = false
  let upstreamFailed = false

  const forward = async (step: StreamStep) => {
    if (step.facts.done) sawEnd = true
    if (step.facts.errorStatus !== undefined) upstreamFailed = true
    for (const frame of step.frames) {
      ctx.outcome.ttftMs ??= Math.round(performance.now() - ctx.startedAt)
      if (!out.write(frame)) await once(out, 'drain', { signal: ctx.signal })
    }
  }
  const NO_FACTS = { done: false, usageOnly: false }
  const readEvent = (event: SseEvent): StreamStep =>
    event.data === null ? { facts: NO_FACTS, frames: pipe.comment(event) } : pipe.read({ ...event, data: event.data })

  try {
    for (const event of opening.lead) await forward({ facts: NO_FACTS, frames: pipe.comment(event) })
    await forward(opening.step)
    for await (const event of events) await forward(readEvent(event))
    if (!sawEnd && !upstreamFailed) {
      throw new GatewayError('SY_ERR_UPSTREAM_STREAM_INCOMPLETE', 'The upstream provider ended the stream before it was complete.')
    }
    stream.result = sawEnd ? 'success' : 'incomplete'
    // The upstream ended its stream with its own error event: relayed (or translated), nothing added.
    if (!sawEnd) ctx.outcome.errorCode = 'SY_ERR_UPSTREAM_STATUS'
  } catch (err) {
    if (ctx.signal.aborted) {
      stream.result = 'client_cancelled'
    } else {
      const gatewayError = err instanceof GatewayError ? err : streamBroken(err)
      stream.result = 'incomplete'
      ctx.outcome.errorCode = gatewayError.code
      if (!out.destroyed) out.write(pipe.terminalError(gatewayError))
    }
  } finally {
    exchange.doneAt = performance.now()
    ctx.outcome.usage = pipe.usage
    ctx.outcome.model = pipe.model
    out.end()
    if (ctx.signal.aborted) exchange.response.body.destroy()
  }
}

function streamBroken(err: unknown): GatewayError {
  const mapped = upstreamError(err)
  if (mapped.code === 'SY_ERR_UPSTREAM_TIMEOUT') return mapped
  return new GatewayError('SY_ERR_UPSTREAM_STREAM_INCOMPLETE', 'The upstream stream broke off before it was complete.', { cause: err })
}
