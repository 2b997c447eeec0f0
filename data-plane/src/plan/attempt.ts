import { GatewayError } from '../errors.ts'
import { HOP_HEADER } from '../pipeline/check-hops.ts'
import type { RequestContext, Target } from '../pipeline/context.ts'
import { translateWith } from '../pipeline/translate.ts'
import { classifyGatewayError } from '../providers/error-kinds.ts'
import type { EndpointCapability, ProviderAdapter } from '../providers/types.ts'
import { passthroughRelaying } from '../relay/passthrough.ts'
import type { Relaying, StreamPipe } from '../relay/relaying.ts'
import { openStream } from '../relay/stream.ts'
import { translatedRelaying } from '../relay/translated.ts'
import { upstreamError, type UpstreamRequest } from '../upstream/client.ts'
import { AttemptRecord } from './attempt-record.ts'
import type { ResolvedTarget, Served, Serving } from './types.ts'

// One attempt at a resolved target: translate (other family), the adapter builds the request,
// upstream/client sends it (→ an AttemptRecord on ctx.attempts from here on), and a stream is
// opened — read up to its first content event, so an error before it (a failed send, an
// opening in-band error event) is a failed attempt a strategy can act on before the client
// has been sent anything. Every upstream request carries the hop count (check-hops.ts), and a
// streamed request's keep-alive clock starts at the send (relay/keep-alive.ts).

/** An adapter that serves `capability` through the chat code paths (build, passthrough relay). */
function adapterView(adapter: ProviderAdapter, capability: EndpointCapability): ProviderAdapter {
  return {
    wire: adapter.wire,
    requestIdHeader: adapter.requestIdHeader,
    errorKinds: adapter.errorKinds,
    buildChatRequest: capability.buildRequest,
    readResponse: capability.readResponse,
    createStreamReader: capability.createStreamReader ?? adapter.createStreamReader,
  }
}

function decorated(relaying: Relaying, decorate: ((pipe: StreamPipe) => StreamPipe) | undefined): Relaying {
  if (!decorate) return relaying
  return { whole: (status, bytes, contentType) => relaying.whole(status, bytes, contentType), stream: () => decorate(relaying.stream()) }
}

function relayingFor(ctx: RequestContext, target: Target, serving: Serving): Relaying {
  if (serving.kind === 'passthrough') return decorated(passthroughRelaying(ctx, target.adapter), serving.decorate)
  const translator = target.adapter.translator
  if (serving.kind === 'translate' && ctx.translation && translator) return translatedRelaying(ctx, ctx.translation.client, translator)
  throw new GatewayError('SY_ERR_INTERNAL', 'an attempt without a way to relay its answer')
}

function buildRequest(ctx: RequestContext, target: Target, body: Record<string, unknown>): UpstreamRequest {
  const { translator } = target.adapter
  if (ctx.translation && translator) {
    const built = translator.toUpstream({ provider: target.provider, request: ctx.translation.request, upstreamModel: target.upstreamModel })
    ctx.degraded.push(...built.degraded.filter((name) => !ctx.degraded.includes(name)))
    return built.request
  }
  const built = target.adapter.buildChatRequest({
    provider: target.provider,
    body,
    rawBody: ctx.rawBody,
    upstreamModel: target.upstreamModel,
    stream: ctx.stream,
    clientWantsUsage: ctx.clientWantsUsage,
    accept: ctx.accept,
    clientHeaders: ctx.clientHeaders,
  })
  // Same family, but an OpenAI-compatible server's quirks (providers/openai-compatible/quirks.ts) changed the body.
  if (built.degraded) ctx.degraded.push(...built.degraded.filter((name) => !ctx.degraded.includes(name)))
  return built
}

/** SSE, or the stream content type the translator declares (Bedrock's `application/vnd.amazon.eventstream`). */
function isEventStream(ctx: RequestContext, target: Target, contentType: string | string[] | undefined): boolean {
  const framing = ctx.translation ? target.adapter.translator?.streamFraming : undefined
  const type = typeof contentType === 'string' ? contentType.toLowerCase() : ''
  return type.startsWith('text/event-stream') || (framing !== undefined && type.startsWith(framing.contentType))
}

export async function runAttempt(ctx: RequestContext, node: ResolvedTarget, choice: number): Promise<Served> {
  const { serving } = node
  const body = ctx.body
  if (!body) throw new GatewayError('SY_ERR_INTERNAL', 'pipeline order violated: an attempt without a body')
  const target = serving.kind === 'passthrough' && serving.capability ? { ...node.target, adapter: adapterView(node.target.adapter, serving.capability) } : node.target
  ctx.target = target
  if (serving.kind === 'local') return { kind: 'local', answer: await serving.answer(ctx) }
  ctx.translation = null
  if (serving.kind === 'translate') translateWith(ctx, serving.client, body)
  const request = buildRequest(ctx, target, body)
  // The adapters build a fresh headers object per request; Bedrock's signature leaves it unsigned.
  request.headers[HOP_HEADER] = String(ctx.hops + 1)
  const attempt = new AttemptRecord(target, choice)
  ctx.attempts.push(attempt)
  ctx.dispatched = true
  ctx.keepAlive?.arm()
  let response
  try {
    response = await ctx.upstreamClient.send(request, { timeouts: target.provider.timeouts, cancellation: ctx.cancellation })
  } catch (err) {
    const failure = upstreamError(err)
    attempt.end(ctx.cancellation.cancelled ? 'cancelled' : 'error', { errorKind: classifyGatewayError(failure), errorCode: failure.code })
    throw failure
  }
  const headersAt = performance.now()
  attempt.firstByteAt = headersAt
  attempt.status = response.statusCode
  const upstreamRequestId = response.headers[target.adapter.requestIdHeader]
  const exchange = {
    response,
    sentAt: attempt.startedAt,
    headersAt,
    doneAt: null,
    upstreamRequestId: typeof upstreamRequestId === 'string' ? upstreamRequestId : null,
  }
  attempt.exchange = exchange
  ctx.upstream = exchange
  const relaying = relayingFor(ctx, target, serving)
  const { statusCode, headers } = response
  if (!ctx.stream || statusCode < 200 || statusCode >= 300 || !isEventStream(ctx, target, headers['content-type'])) return { kind: 'whole', exchange, relaying }
  return { kind: 'stream', exchange, stream: await openStream(ctx, attempt, exchange, relaying) }
}
