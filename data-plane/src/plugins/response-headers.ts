import { HEADERS, PASSTHROUGH_RESPONSE_HEADER } from '@switchyard/shared/headers'
import type { FastifyInstance, FastifyReply } from 'fastify'
import fp from 'fastify-plugin'
import type { RequestContext } from '../pipeline/context.ts'

// The gateway's headers on EVERY response (success or error): x-request-id always; provider,
// model, upstream request id, upstream rate-limit headers and Server-Timing once known;
// `x-switchyard-degraded` names what a translation dropped (comma-separated).

export function passUpstreamHeaders(reply: FastifyReply, headers: Record<string, string | string[] | undefined>): void {
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && PASSTHROUGH_RESPONSE_HEADER.test(name)) reply.header(name, value)
  }
}

function serverTiming(ctx: RequestContext): string {
  const now = performance.now()
  const up = ctx.upstream
  if (!up) return `gateway;dur=${(now - ctx.startedAt).toFixed(1)}`
  const upstreamMs = (up.doneAt ?? up.headersAt) - up.sentAt
  return `gateway;dur=${(now - ctx.startedAt - upstreamMs).toFixed(1)}, upstream;dur=${upstreamMs.toFixed(1)}`
}

async function responseHeaders(app: FastifyInstance) {
  app.addHook('onRequest', async (request, reply) => {
    reply.header(HEADERS.requestId, request.id)
  })
  app.addHook('onSend', async (request, reply) => {
    const ctx = request.gateway
    if (!ctx) return
    if (ctx.target) {
      reply.header(HEADERS.provider, ctx.target.provider.name)
      reply.header(HEADERS.model, ctx.target.upstreamModel)
    }
    if (ctx.upstream?.upstreamRequestId) reply.header(HEADERS.upstreamRequestId, ctx.upstream.upstreamRequestId)
    if (ctx.degraded.length > 0) reply.header(HEADERS.degraded, ctx.degraded.join(', '))
    reply.header(HEADERS.serverTiming, serverTiming(ctx))
  })
}

export default fp(responseHeaders, { name: 'response-headers' })
