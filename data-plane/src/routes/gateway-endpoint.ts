import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify'
import { HOP_HEADER, hopsOf } from '../pipeline/check-hops.ts'
import { RequestContext } from '../pipeline/context.ts'
import { HEAD_STAGES, runPipeline } from '../pipeline/index.ts'
import { emitLogEvent } from '../pipeline/meter.ts'
import type { Dialect } from '../providers/types.ts'
import { relayJson } from '../relay/json.ts'
import { passthroughRelaying } from '../relay/passthrough.ts'
import { KeepAlive } from '../relay/keep-alive.ts'
import type { Relaying } from '../relay/relaying.ts'
import { relayStream } from '../relay/stream.ts'
import { translatedRelaying } from '../relay/translated.ts'
import { decorated, type EndpointOperation, type OperationPlan, runOperationPipeline } from './endpoint-operation.ts'

// One gateway endpoint, whatever the client's API family: context → pipeline → relay; the log
// event is emitted once the response is over (streams: when the relay ends). The route modules
// (routes/openai/…, routes/anthropic/…) only say which endpoint and what their clients send.
//
// The context is made in the onRequest hook, from the headers, and the head stages (hop count,
// virtual key) run there: Fastify reads the body only after onRequest, so a caller without a
// valid key is answered 401 before a byte of its body is read, and the connection is closed
// rather than drained (what it was still sending is never read).

/** The largest body a gateway endpoint reads (413 beyond), unless the endpoint sets its own. */
export const BODY_LIMIT_BYTES = 10 * 1024 * 1024

export interface GatewayEndpoint {
  endpoint: string
  /** Default BODY_LIMIT_BYTES. */
  bodyLimit?: number
  dialect: Dialect
  /** The family's own API-key header (Anthropic's `x-api-key`), accepted besides `Authorization: Bearer`. */
  apiKeyHeader?: string
  /** Client headers the provider adapter may forward upstream (e.g. `anthropic-version`). */
  forwardedHeaders?: readonly string[]
  /** Endpoints other than chat: how a connection serves them (routes/endpoint-operation.ts). */
  operation?: EndpointOperation
}

/** SSE, or the stream content type the translator declares (Bedrock's `application/vnd.amazon.eventstream`). */
function isEventStream(ctx: RequestContext, contentType: string | string[] | undefined): boolean {
  const framing = ctx.translation ? ctx.target?.adapter.translator?.streamFraming : undefined
  const type = typeof contentType === 'string' ? contentType.toLowerCase() : ''
  return type.startsWith('text/event-stream') || (framing !== undefined && type.startsWith(framing.contentType))
}

function headerValue(request: FastifyRequest, name: string): string | undefined {
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

/** Same family: the upstream's bytes; across families: translated into the client's dialect. */
function relayingFor(ctx: RequestContext, plan: OperationPlan | null): Relaying {
  const target = ctx.target
  if (!target) throw new Error('pipeline finished without a target')
  if (plan?.kind === 'upstream') return decorated(passthroughRelaying(ctx, target.adapter), plan.decorate)
  const translator = target.adapter.translator
  if (ctx.translation && translator) return translatedRelaying(ctx, ctx.translation.client, translator)
  return passthroughRelaying(ctx, target.adapter)
}

export function registerGatewayEndpoint(app: FastifyInstance, spec: GatewayEndpoint): void {
  const meter = (ctx: RequestContext, reply: FastifyReply, clientGone: boolean) =>
    emitLogEvent(ctx, { status: reply.statusCode, clientGone }, (event) => app.requestLogs.emit(event))

  // Callback style: an async hook costs a promise per request.
  const admit = (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => {
    const ctx = new RequestContext({
      requestId: request.id,
      endpoint: spec.endpoint,
      dialect: spec.dialect,
      runtime: app.snapshots.runtime,
      authorization: request.headers.authorization,
      apiKey: spec.apiKeyHeader ? headerValue(request, spec.apiKeyHeader) : undefined,
      accept: request.headers.accept,
      clientHeaders: pickHeaders(request, spec.forwardedHeaders ?? []),
      rawBody: undefined,
      upstreamClient: app.upstream,
      hops: hopsOf(request.headers[HOP_HEADER]),
    })
    request.gateway = ctx
    try {
      for (const stage of HEAD_STAGES) stage(ctx)
    } catch (err) {
      // The unread body is not drained: the connection closes after this answer.
      reply.header('connection', 'close')
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
    if (!spec.operation) ctx.keepAlive = new KeepAlive(ctx, reply, app.streamKeepAliveMs)
    reply.raw.once('close', () => {
      const clientGone = !reply.raw.writableFinished
      if (clientGone) ctx.cancellation.cancel()
      if (!ctx.outcome.stream) meter(ctx, reply, clientGone)
    })

    let plan: OperationPlan | null = null
    if (spec.operation) plan = await runOperationPipeline(ctx, spec.operation)
    else await runPipeline(ctx)
    if (plan?.kind === 'local') {
      const answer = await plan.answer(ctx)
      return reply.code(answer.status).headers(answer.headers).send(answer.body)
    }
    const exchange = ctx.upstream
    if (!exchange) throw new Error('pipeline finished without an upstream exchange')
    try {
      const relaying = relayingFor(ctx, plan)
      const { statusCode, headers } = exchange.response
      if (!ctx.stream || statusCode < 200 || statusCode >= 300 || !isEventStream(ctx, headers['content-type'])) {
        return await relayJson(ctx, reply, exchange, relaying)
      }
      await relayStream(ctx, reply, exchange, relaying, () => meter(ctx, reply, false))
      return reply
    } catch (err) {
      // The client gets an error answer instead: the upstream answer is not read any further.
      exchange.response.body.abort()
      throw err
    }
  }

  app.post(spec.endpoint, { onRequest: admit, bodyLimit: spec.bodyLimit ?? BODY_LIMIT_BYTES }, async (request, reply) => {
    try {
      return await handle(request, reply)
    } catch (err) {
      // Keep-alive comments already sent the head (relay/keep-alive.ts): the error goes in-band.
      const keepAlive = request.gateway?.keepAlive
      if (!keepAlive?.committed) throw err
      keepAlive.fail(err)
      return reply
    }
  })
}
