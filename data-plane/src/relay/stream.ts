import { once } from 'node:events'
import { PassThrough } from 'node:stream'
import type { FastifyReply } from 'fastify'
import { GatewayError } from '../errors.ts'
import type { RequestContext, UpstreamExchange } from '../pipeline/context.ts'
import { renderStreamError } from '../plugins/error-handler.ts'
import { passUpstreamHeaders } from '../plugins/response-headers.ts'
import type { ProviderAdapter, StreamEventFacts, StreamReader } from '../providers/types.ts'
import { type SseEvent, SseDecoder } from '../upstream/sse.ts'
import { upstreamError } from '../upstream/client.ts'

// A streamed upstream answer: every SSE event forwarded as its raw bytes, one write per event
// (no coalescing), never re-serialized. The one exception (CONTRACT.md): when the gateway asked
// for usage on the client's behalf, the final usage-only event is dropped.
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
  first: SseEvent & { data: string }
  facts: StreamEventFacts
}

export async function relayStream(
  ctx: RequestContext,
  reply: FastifyReply,
  exchange: UpstreamExchange,
  adapter: ProviderAdapter,
): Promise<StreamRelay> {
  const events = sseEvents(exchange.response.body)
  const reader = adapter.createStreamReader()
  const opening = await openStream(events, reader)
  passUpstreamHeaders(reply, exchange.response.headers)
  if (opening.facts.errorStatus !== undefined) {
    events.return(undefined).catch(() => {})
    exchange.doneAt = performance.now()
    ctx.outcome.errorCode = 'SY_ERR_UPSTREAM_STATUS'
    const sent = reply.code(opening.facts.errorStatus).header('content-type', 'application/json').send(Buffer.from(opening.first.data))
    return { sent, done: null }
  }
  const out = new PassThrough()
  reply.header('content-type', exchange.response.headers['content-type'] ?? 'text/event-stream')
  reply.header('cache-control', 'no-cache')
  reply.header('x-accel-buffering', 'no')
  ctx.outcome.stream = { result: 'incomplete' }
  const done = pump({ ctx, exchange, events, reader, opening, out })
  return { done, sent: reply.code(exchange.response.statusCode).send(out) }
}

async function* sseEvents(body: AsyncIterable<unknown>): AsyncGenerator<SseEvent, void, undefined> {
  const decoder = new SseDecoder()
  for await (const chunk of body) yield* decoder.push(chunk as Buffer)
  yield* decoder.end()
}

/** Reads up to the first event with data. Failing here, nothing was sent: a plain error reply. */
async function openStream(events: AsyncGenerator<SseEvent, void, undefined>, reader: StreamReader): Promise<Opening> {
  const lead: SseEvent[] = []
  try {
    for (;;) {
      const next = await events.next()
      if (next.done) {
        throw new GatewayError('SY_ERR_UPSTREAM_STREAM_INCOMPLETE', 'The upstream provider ended the stream before sending any event.')
      }
      const { data } = next.value
      if (data === null) lead.push(next.value)
      else return { lead, first: { ...next.value, data }, facts: reader.read(data, next.value.event) }
    }
  } catch (err) {
    throw upstreamError(err)
  }
}

interface PumpInput {
  ctx: RequestContext
  exchange: UpstreamExchange
  events: AsyncGenerator<SseEvent, void, undefined>
  reader: StreamReader
  opening: Opening
  out: PassThrough
}

async function pump({ ctx, exchange, events, reader, opening, out }: PumpInput): Promise<void> {
  const stream = ctx.outcome.stream as { result: 'success' | 'incomplete' | 'client_cancelled' }
  let sawEnd = false
  let upstreamFailed = false

  const forward = async (event: SseEvent, facts: StreamEventFacts | null) => {
    if (facts?.done) sawEnd = true
    if (facts?.errorStatus !== undefined) upstreamFailed = true
    if (facts?.usageOnly && !ctx.clientWantsUsage) return
    ctx.outcome.ttftMs ??= Math.round(performance.now() - ctx.startedAt)
    if (!out.write(event.raw)) await once(out, 'drain', { signal: ctx.signal })
  }

  try {
    for (const event of opening.lead) await forward(event, null)
    await forward(opening.first, opening.facts)
    for await (const event of events) await forward(event, event.data === null ? null : reader.read(event.data, event.event))
    if (!sawEnd && !upstreamFailed) {
      throw new GatewayError('SY_ERR_UPSTREAM_STREAM_INCOMPLETE', 'The upstream provider ended the stream before it was complete.')
    }
    stream.result = sawEnd ? 'success' : 'incomplete'
    // The upstream ended its stream with its own error event: relayed as it was, nothing added.
    if (!sawEnd) ctx.outcome.errorCode = 'SY_ERR_UPSTREAM_STATUS'
  } catch (err) {
    if (ctx.signal.aborted) {
      stream.result = 'client_cancelled'
    } else {
      const gatewayError = err instanceof GatewayError ? err : streamBroken(err)
      stream.result = 'incomplete'
      ctx.outcome.errorCode = gatewayError.code
      if (!out.destroyed) out.write(renderStreamError(gatewayError, ctx.dialect))
    }
  } finally {
    exchange.doneAt = performance.now()
    ctx.outcome.usage = reader.usage
    ctx.outcome.model = reader.model
    out.end()
    if (ctx.signal.aborted) exchange.response.body.destroy()
  }
}

function streamBroken(err: unknown): GatewayError {
  const mapped = upstreamError(err)
  if (mapped.code === 'SY_ERR_UPSTREAM_TIMEOUT') return mapped
  return new GatewayError('SY_ERR_UPSTREAM_STREAM_INCOMPLETE', 'The upstream stream broke off before it was complete.', { cause: err })
}
