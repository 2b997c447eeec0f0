import type { FastifyReply } from 'fastify'
import type { RequestContext, UpstreamExchange } from '../pipeline/context.ts'
import { passUpstreamHeaders } from '../plugins/response-headers.ts'
import type { ProviderAdapter } from '../providers/types.ts'
import { upstreamError } from '../upstream/client.ts'

// A whole (non-streamed) upstream answer: status and body bytes relayed unchanged, success or
// error; usage and model read from a parsed copy.

export async function relayJson(ctx: RequestContext, reply: FastifyReply, exchange: UpstreamExchange, adapter: ProviderAdapter) {
  const { response } = exchange
  let bytes: Buffer
  try {
    bytes = Buffer.from(await response.body.arrayBuffer())
  } catch (err) {
    throw upstreamError(err)
  }
  exchange.doneAt = performance.now()
  const ok = response.statusCode >= 200 && response.statusCode < 300
  if (ok) {
    try {
      const facts = adapter.readResponse(JSON.parse(bytes.toString('utf8')))
      ctx.outcome.usage = facts.usage
      ctx.outcome.model = facts.model
    } catch {
      // Not JSON: relayed as-is all the same; usage stays unknown.
    }
  } else {
    ctx.outcome.errorCode = 'SY_ERR_UPSTREAM_STATUS'
  }
  passUpstreamHeaders(reply, response.headers)
  const contentType = response.headers['content-type']
  if (contentType !== undefined) reply.header('content-type', contentType)
  return reply.code(response.statusCode).send(bytes)
}
