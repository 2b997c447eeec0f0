import { GatewayError } from '../errors.ts'
import type { UpstreamRequest } from '../upstream/client.ts'
import { HOP_HEADER } from './check-hops.ts'
import type { RequestContext, Target } from './context.ts'

// 6. The adapter builds the upstream request (passthrough, or from the canonical request when
// translating); upstream/client sends it → ctx.upstream (status and headers in hand, body not
// yet read). Every upstream request carries the hop count (check-hops.ts), and a streamed
// request's keep-alive clock starts here (relay/keep-alive.ts). (Later: strategies run attempts
// here.)

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
  ctx.degraded.push(...(built.degraded ?? []).filter((name) => !ctx.degraded.includes(name)))
  return built
}

export async function execute(ctx: RequestContext): Promise<void> {
  const { target, body } = ctx
  if (!target || !body) throw new GatewayError('SY_ERR_INTERNAL', 'pipeline order violated: execute before resolve-target')
  const request = buildRequest(ctx, target, body)
  // The adapters build a fresh headers object per request; Bedrock's signature leaves it unsigned.
  request.headers[HOP_HEADER] = String(ctx.hops + 1)
  const sentAt = performance.now()
  ctx.dispatched = true
  ctx.keepAlive?.arm()
  const response = await ctx.upstreamClient.send(request, { timeouts: target.provider.timeouts, cancellation: ctx.cancellation })
  const upstreamRequestId = response.headers[target.adapter.requestIdHeader]
  ctx.upstream = {
    response,
    sentAt,
    headersAt: performance.now(),
    doneAt: null,
    upstreamRequestId: typeof upstreamRequestId === 'string' ? upstreamRequestId : null,
  }
}
