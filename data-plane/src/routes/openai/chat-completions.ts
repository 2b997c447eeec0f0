import type { FastifyInstance, FastifyReply } from 'fastify'
import { createContext, type RequestContext } from '../../pipeline/context.ts'
import { runPipeline } from '../../pipeline/index.ts'
import { buildLogEvent } from '../../pipeline/meter.ts'
import { relayJson } from '../../relay/json.ts'
import { relayStream } from '../../relay/stream.ts'

// POST /v1/chat/completions (OpenAI dialect): context → pipeline → relay; the log event is
// emitted once the response is over (streams: when the relay ends).

const ENDPOINT = '/v1/chat/completions'

function isEventStream(contentType: string | string[] | undefined): boolean {
  return typeof contentType === 'string' && contentType.toLowerCase().startsWith('text/event-stream')
}

export default async function chatCompletions(app: FastifyInstance) {
  const meter = (ctx: RequestContext, reply: FastifyReply, clientGone: boolean) => {
    const event = buildLogEvent(ctx, { status: reply.statusCode, clientGone })
    if (event) app.requestLogs.emit(event)
  }

  app.post(ENDPOINT, async (request, reply) => {
    const abort = new AbortController()
    const ctx = createContext({
      requestId: request.id,
      endpoint: ENDPOINT,
      dialect: 'openai',
      runtime: app.snapshots.runtime,
      authorization: request.headers.authorization,
      accept: request.headers.accept,
      rawBody: Buffer.isBuffer(request.body) ? request.body : undefined,
      signal: abort.signal,
      upstreamClient: app.upstream,
    })
    request.gateway = ctx
    reply.raw.once('close', () => {
      const clientGone = !reply.raw.writableFinished
      if (clientGone) abort.abort()
      if (!ctx.outcome.stream) meter(ctx, reply, clientGone)
    })

    await runPipeline(ctx)
    const exchange = ctx.upstream
    const target = ctx.target
    if (!exchange || !target) throw new Error('pipeline finished without an upstream exchange')
    const { statusCode, headers } = exchange.response
    if (!ctx.stream || statusCode < 200 || statusCode >= 300 || !isEventStream(headers['content-type'])) {
      return relayJson(ctx, reply, exchange, target.adapter)
    }
    const { done, sent } = relayStream(ctx, reply, exchange, target.adapter)
    void done.then(() => meter(ctx, reply, false))
    return sent
  })
}
