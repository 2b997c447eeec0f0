import { GatewayError } from '../errors.ts'
import type { RequestContext } from './context.ts'

// 5. The adapter builds the upstream request; upstream/client sends it → ctx.upstream (status
// and headers in hand, body not yet read). (Later: strategies run attempts here.)

export async function execute(ctx: RequestContext): Promise<void> {
  const { target, body } = ctx
  if (!target || !body) throw new GatewayError('SY_ERR_INTERNAL', 'pipeline order violated: execute before resolve-target')
  const request = target.adapter.buildChatRequest({
    provider: target.provider,
    body,
    upstreamModel: target.upstreamModel,
    stream: ctx.stream,
    clientWantsUsage: ctx.clientWantsUsage,
    accept: ctx.accept,
    clientHeaders: ctx.clientHeaders,
  })
  const sentAt = performance.now()
  const response = await ctx.upstreamClient.send(request, { timeouts: target.provider.timeouts, signal: ctx.signal })
  const upstreamRequestId = response.headers[target.adapter.requestIdHeader]
  ctx.upstream = {
    response,
    sentAt,
    headersAt: performance.now(),
    doneAt: null,
    upstreamRequestId: typeof upstreamRequestId === 'string' ? upstreamRequestId : null,
  }
}
