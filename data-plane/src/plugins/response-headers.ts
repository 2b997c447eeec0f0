import { HEADERS } from '@switchyard/shared/headers'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { applyGatewayHeaders } from '../http/headers.ts'

// The gateway's headers on EVERY response (success or error): x-request-id always; provider,
// model, upstream request id, upstream rate-limit headers (and `x-should-retry`, the SDKs' retry
// hint), the attempt count and fallback index, and Server-Timing once known;
// `x-switchyard-degraded` names what a translation dropped (comma-separated). Replies sent
// through Fastify get them in onSend; a stream the relay writes itself (relay/stream.ts) calls
// applyGatewayHeaders (http/headers.ts) before its head goes out.

async function responseHeaders(app: FastifyInstance) {
  // Callback-style hooks: an async hook costs a promise per request on every route.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header(HEADERS.requestId, request.id)
    done()
  })
  app.addHook('onSend', (request, reply, payload, done) => {
    const ctx = request.gateway
    if (ctx) applyGatewayHeaders(reply, ctx)
    done(null, payload)
  })
}

export default fp(responseHeaders, { name: 'response-headers' })
