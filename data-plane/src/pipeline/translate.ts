import type { ClientDialect } from '../dialects/types.ts'
import type { RequestContext } from './context.ts'

// Across API families only (an attempt whose target speaks the other family, or an endpoint's
// own API the connection does not serve, e.g. /v1/responses): the client's body → the canonical
// request (ctx.translation), in the given client dialect. What cannot be translated is refused
// (400, before that attempt goes upstream); what can only be dropped is named in ctx.degraded.
// Same-family requests are never translated: they pass through byte for byte.

export function translateWith(ctx: RequestContext, client: ClientDialect, body: Record<string, unknown>): void {
  const { request, degraded } = client.parseRequest(body)
  ctx.translation = { client, request }
  for (const name of degraded) if (!ctx.degraded.includes(name)) ctx.degraded.push(name)
}
