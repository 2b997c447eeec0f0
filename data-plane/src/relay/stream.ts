import { once } from 'node:events'
import { PassThrough } from 'node:stream'
import type { FastifyReply } from 'fastify'
import { GatewayError } from '../errors.ts'
import type { RequestContext, UpstreamExchange } from '../pipeline/context.ts'
import { renderStreamError } from '../plugins/error-handler.ts'
import { passUpstreamHeaders } from '../plugins/response-headers.ts'
import type { ProviderAdapter } from '../providers/types.ts'
import { SseDecoder } from '../upstream/sse.ts'
import { upstreamError } from '../upstream/client.ts'

// A streamed upstream answer: every SSE event forwarded as its raw bytes, one write per event
// (no coalescing), never re-serialized. The one exception (CONTRACT.md): when the gateway asked
// for usage on the client's behalf, the final usage-only event is dropped. A stream that ends
// without its end marker, or breaks, gets a terminal in-band error event.

export function relayStream(ctx: RequestContext, reply: FastifyReply, exchange: UpstreamExchange, adapter: ProviderAdapter) {
  const out = new PassThrough()
  passUpstreamHeaders(reply, exchange.response.headers)
  reply.header('content-type', exchange.response.headers['content-type'] ?? 'text/event-stream')
  reply.header('cache-control', 'no-cache')
  reply.header('x-accel-buffering', 'no')
  ctx.outcome.stream = { result: 'incomplete' }
  const done = pump({ ctx, exchange, adapter, out })
  return { done, sent: reply.code(exchange.response.statusCode).send(out) }
}

interface PumpInput {
  ctx: RequestContext
  exchange: UpstreamExchange
  adapter: ProviderAdapter
  out: PassThrough
}

async function pump({ ctx, exchange, adapter, out }: PumpInput): Promise<void> {
  const decoder = new SseDecoder()
  const reader = adapter.createStreamReader()
  const stream = ctx.outcome.stream as { result: 'success' | 'incomplete' | 'client_cancelled' }
  let sawEnd = false

  const forward = async (raw: Buffer, data: string | null) => {
    if (data !== null) {
      const facts = reader.read(data)
      if (facts.done) sawEnd = true
      if (facts.usageOnly && !ctx.clientWantsUsage) return
    }
    ctx.outcome.ttftMs ??= Math.round(performance.now() - ctx.startedAt)
    if (!out.write(raw)) await once(out, 'drain', { signal: ctx.signal })
  }

  try {
    for await (const chunk of exchange.response.body) {
      for (const event of decoder.push(chunk as Buffer)) await forward(event.raw, event.data)
    }
    for (const event of decoder.end()) await forward(event.raw, event.data)
    if (!sawEnd) {
      throw new GatewayError('SY_ERR_UPSTREAM_STREAM_INCOMPLETE', 'The upstream provider ended the stream before it was complete.')
    }
    stream.result = 'success'
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
