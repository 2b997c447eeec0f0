import { dialects } from '../dialects/registry.ts'
import type { ClientDialect } from '../dialects/types.ts'
import { GatewayError } from '../errors.ts'
import type { RequestContext } from './context.ts'

// 5. Across API families only: the client's body → the canonical request (ctx.translation), in
// the client's dialect. What cannot be translated is refused here (400, before anything goes
// upstream); what can only be dropped is named in ctx.degraded. Same-family requests skip this
// stage and pass through byte for byte.

export function translate(ctx: RequestContext): void {
  const { target, body } = ctx
  if (!target || !body) throw new GatewayError('SY_ERR_INTERNAL', 'pipeline order violated: translate before resolve-target')
  if (target.adapter.wire === ctx.dialect) return
  translateWith(ctx, dialects[ctx.dialect], body)
}

/** The client's body → canonical in the given client dialect (also used by endpoints whose API is not the route family's, e.g. /v1/responses). */
export function translateWith(ctx: RequestContext, client: ClientDialect, body: Record<string, unknown>): void {
  const { request, degraded } = client.parseRequest(body)
  ctx.translation = { client, request }
  ctx.degraded.push(...degraded)
}
