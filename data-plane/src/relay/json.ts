import type { FastifyReply } from 'fastify'
import { GatewayError } from '../errors.ts'
import type { RequestContext, UpstreamExchange } from '../pipeline/context.ts'
import { passUpstreamHeaders } from '../http/headers.ts'
import { classifyGatewayError, classifyUpstreamFailure } from '../providers/error-kinds.ts'
import { toGatewayError } from '../http/errors.ts'
import type { Relaying } from './relaying.ts'
import { redactBytes } from './secret-redaction.ts'

// A whole (non-streamed) upstream answer, success or error: the body is read, the Relaying
// decides what the client gets (the same bytes, or their translation); usage and model are
// the provider's. An error body is redacted first (relay/secret-redaction.ts), before it is
// relayed or translated. The serving attempt ends here: success, or an error of the kind the
// adapter's table gives its status and body (providers/error-kinds.ts).

/**
 * Whole answers are buffered, so they are capped: large enough for a big embeddings batch
 * (2,048 inputs × 1,536 floats as JSON is ≈ 60 MB), small enough that a broken or hostile
 * upstream cannot exhaust memory. An error body is text for a human: 1 MiB.
 */
export const MAX_UPSTREAM_JSON_BYTES = 64 * 1024 * 1024
export const MAX_UPSTREAM_ERROR_BYTES = 1024 * 1024

export async function relayJson(ctx: RequestContext, reply: FastifyReply, exchange: UpstreamExchange, relaying: Relaying) {
  const { response } = exchange
  const attempt = ctx.attempt
  const failed = response.statusCode < 200 || response.statusCode >= 300
  let read: Buffer
  try {
    read = await response.body.readAll(failed ? MAX_UPSTREAM_ERROR_BYTES : MAX_UPSTREAM_JSON_BYTES)
  } catch (err) {
    const failure = toGatewayError(err)
    attempt?.end(ctx.cancellation.cancelled ? 'cancelled' : 'error', { errorKind: classifyGatewayError(failure), errorCode: failure.code })
    throw err
  }
  exchange.doneAt = performance.now()
  if (attempt && failed) {
    const errorKinds = ctx.target?.adapter.errorKinds
    const errorKind = errorKinds ? classifyUpstreamFailure(errorKinds, { status: response.statusCode, headers: response.headers, body: parseJson(read) }) : null
    attempt.end('error', { errorKind, errorCode: 'SY_ERR_UPSTREAM_STATUS' })
  }
  const bytes = failed ? redactBytes(read, ctx.target?.provider) : read
  const contentType = response.headers['content-type']
  const answer = relaying.whole(response.statusCode, bytes, typeof contentType === 'string' ? contentType : undefined)
  ctx.outcome.usage = answer.facts.usage
  ctx.outcome.model = answer.facts.model
  if (!failed) attempt?.end('success', { usage: answer.facts.usage })
  const keepAlive = ctx.keepAlive
  if (keepAlive?.committed) {
    // Keep-alive comments went out for a stream: an answer that is not a stream goes in-band.
    if (failed) keepAlive.failWith(answer.body)
    else keepAlive.fail(new GatewayError('SY_ERR_UPSTREAM_BAD_RESPONSE', 'The upstream provider answered a stream request without a stream.'))
    return reply
  }
  keepAlive?.stop()
  if (failed) ctx.outcome.errorCode = 'SY_ERR_UPSTREAM_STATUS'
  passUpstreamHeaders(reply, response.headers)
  if (answer.contentType !== undefined) reply.header('content-type', answer.contentType)
  return reply.code(answer.status).send(answer.body)
}

function parseJson(bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString('utf8')) as unknown
  } catch {
    return null
  }
}
