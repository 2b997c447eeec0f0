import type { FastifyReply } from 'fastify'
import type { RequestContext, UpstreamExchange } from '../pipeline/context.ts'
import { passUpstreamHeaders } from '../plugins/response-headers.ts'
import type { Relaying } from './relaying.ts'
import { redactBytes } from './secret-redaction.ts'

// A whole (non-streamed) upstream answer, success or error: the body is read, the Relaying
// decides what the client gets (the same bytes, or their translation); usage and model are
// the provider's. An error body is redacted first (relay/secret-redaction.ts), before it is
// relayed or translated.

export async function relayJson(ctx: RequestContext, reply: FastifyReply, exchange: UpstreamExchange, relaying: Relaying) {
  const { response } = exchange
  const failed = response.statusCode < 200 || response.statusCode >= 300
  const read = await response.body.readAll()
  exchange.doneAt = performance.now()
  const bytes = failed ? redactBytes(read, ctx.target?.provider) : read
  const contentType = response.headers['content-type']
  const answer = relaying.whole(response.statusCode, bytes, typeof contentType === 'string' ? contentType : undefined)
  ctx.outcome.usage = answer.facts.usage
  ctx.outcome.model = answer.facts.model
  if (failed) ctx.outcome.errorCode = 'SY_ERR_UPSTREAM_STATUS'
  passUpstreamHeaders(reply, response.headers)
  if (answer.contentType !== undefined) reply.header('content-type', answer.contentType)
  return reply.code(answer.status).send(answer.body)
}
