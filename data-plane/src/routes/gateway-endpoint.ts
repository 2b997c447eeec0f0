import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify'
import { HOP_HEADER, hopsOf } from '../pipeline/check-hops.ts'
import { RequestContext } from '../pipeline/context.ts'
import { finish, runBodyStages, runHeadStages } from '../pipeline/index.ts'
import type { Dialect } from '../providers/types.ts'
import { relayJson } from '../relay/json.ts'
import { KeepAlive } from '../relay/keep-alive.ts'
import { chatOperation, type EndpointOperation } from './endpoint-operation.ts'

// One gateway endpoint, whatever the client's API family: context → the one stage list
// (pipeline/index.ts) → the route answers with what the executor served (a local answer, a
// whole upstream answer, or the opened stream pumped) → finish, once. The route modules
// (routes/openai/…, routes/anthropic/…, routes/models.ts) only say which endpoint, what their
// clients send, and the endpoint's operation.
//
// The context is made in the onRequest hook, from the headers, and the head stages (hop count,
// virtual key, the meter) run there: Fastify reads the body only after onRequest, so a caller
// without a valid key is answered 401 before a byte of its body is read, and the connection is
// closed rather than drained (what it was still sending is never read). The finish point is
// armed there too, so every answer from then on — a body Fastify refused included — runs the
// after-halves.

/** The largest body a gateway endpoint reads (413 beyond), unless the endpoint sets its own. */
export const BODY_LIMIT_BYTES = 10 * 1024 * 1024

export interface GatewayEndpoint {
  endpoint: string
  /** Default POST. */
  method?: 'POST' | 'GET'
  /** Default BODY_LIMIT_BYTES. */
  bodyLimit?: number
  dialect: Dialect
  /** The dialect, when the request says it (the models listing: `anthropic-version` → anthropic). */
  dialectOf?: (request: FastifyRequest) => Dialect
  /** The family's own API-key header (Anthropic's `x-api-key`), accepted besides `Authorization: Bearer`. */
  apiKeyHeader?: string
  /** Client headers the provider adapter may forward upstream (e.g. `anthropic-version`). */
  forwardedHeaders?: readonly string[]
  /** How a connection serves the endpoint (default: chat; routes/endpoint-operation.ts). */
  operation?: EndpointOperation
}

export function headerValue(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name]
  return Array.isArray(value) ? value.join(',') : value
}

function pickHeaders(request: FastifyRequest, names: readonly string[]): Record<string, string> {
  const picked: Record<string, string> = {}
  for (const name of names) {
    const value = headerValue(request, name)
    if (value) picked[name] = value
  }
  return picked
}

/** The request is over for the client: a stream being pumped finishes when its relay ends. */
function onResponseClosed(ctx: RequestContext, reply: FastifyReply): void {
  const clientGone = !reply.raw.writableFinished
  if (clientGone) ctx.cancellation.cancel()
  if (!ctx.outcome.stream) finish(ctx, { status: reply.statusCode, clientGone })
}

export function registerGatewayEndpoint(app: FastifyInstance, spec: GatewayEndpoint): void {
  const operation = spec.operation ?? chatOperation
  const emitLog = app.requestLogs.emit.bind(app.requestLogs)
  const reportError = (err: unknown, message: string) => app.log.error({ err }, message)
  const forwarded = spec.forwardedHeaders ?? []

  // Callback style: an async hook costs a promise per request.
  const admit = (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => {
    const ctx = new RequestContext({
      requestId: request.id,
      endpoint: spec.endpoint,
      operation,
      dialect: spec.dialectOf ? spec.dialectOf(request) : spec.dialect,
      runtime: app.snapshots.runtime,
      authorization: request.headers.authorization,
      apiKey: spec.apiKeyHeader ? headerValue(request, spec.apiKeyHeader) : undefined,
      accept: request.headers.accept,
      clientHeaders: pickHeaders(request, forwarded),
      rawBody: undefined,
      upstreamClient: app.upstream,
      emitLog,
      reportError,
      query: request.query,
      hops: hopsOf(request.headers[HOP_HEADER]),
    })
    request.gateway = ctx
    reply.raw.once('close', () => onResponseClosed(ctx, reply))
    try {
      runHeadStages(ctx)
    } catch (err) {
      // The unread body is not drained: the connection closes after this answer.
      if (operation.body) reply.header('connection', 'close')
      done(err as Error)
      return
    }
    done()
  }

  const handle = async (request: FastifyRequest, reply: FastifyReply) => {
    const ctx = request.gateway
    if (!ctx) throw new Error('gateway route without a context (onRequest hook did not run)')
    ctx.rawBody = Buffer.isBuffer(request.body) ? request.body : undefined
    // Chat endpoints only: the Responses API's stream grammar numbers its error events (relay/keep-alive.ts).
    if (operation === chatOperation) ctx.keepAlive = new KeepAlive(ctx, reply, app.streamKeepAliveMs)
    await runBodyStages(ctx)
    const served = ctx.served
    if (!served) throw new Error('pipeline finished without an answer to serve')
    if (served.kind === 'local') return reply.code(served.answer.status).headers(served.answer.headers).send(served.answer.body)
    if (served.kind === 'stream') {
      served.stream.pump(reply, () => finish(ctx, { status: reply.statusCode, clientGone: false }))
      return reply
    }
    try {
      return await relayJson(ctx, reply, served.exchange, served.relaying)
    } catch (err) {
      // The client gets an error answer instead: the upstream answer is not read any further.
      served.exchange.response.body.abort()
      throw err
    }
  }

  const route = async (request: FastifyRequest, reply: FastifyReply) => {
    try {
      return await handle(request, reply)
    } catch (err) {
      // Keep-alive comments already sent the head (relay/keep-alive.ts): the error goes in-band.
      const keepAlive = request.gateway?.keepAlive
      if (!keepAlive?.committed) throw err
      keepAlive.fail(err)
      return reply
    }
  }

  const options = { onRequest: admit, bodyLimit: spec.bodyLimit ?? BODY_LIMIT_BYTES }
  if (spec.method === 'GET') app.get(spec.endpoint, options, route)
  else app.post(spec.endpoint, options, route)
}
