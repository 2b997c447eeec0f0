import type { Keyring } from '@switchyard/shared/crypto'
import type { SwitchyardEnv } from '@switchyard/shared/env'
import { newId } from '@switchyard/shared/ids'
import type { Infra } from '@switchyard/shared/infra'
import Fastify, { type FastifyInstance, LogController } from 'fastify'
import errorHandler from './plugins/error-handler.ts'
import gatewayServices from './plugins/gateway-services.ts'
import responseHeaders from './plugins/response-headers.ts'
import countTokens from './routes/anthropic/count-tokens.ts'
import messages from './routes/anthropic/messages.ts'
import health from './routes/health.ts'
import models from './routes/models.ts'
import chatCompletions from './routes/openai/chat-completions.ts'
import embeddings from './routes/openai/embeddings.ts'
import responses from './routes/openai/responses.ts'

export const BODY_LIMIT_BYTES = 10 * 1024 * 1024

export interface AppOptions {
  env: SwitchyardEnv
  infra: Infra
  keyring: Keyring
  dataDir: string
  pollIntervalMs: number
  logger: boolean
  /** See gateway-services.ts (default 10 s). */
  streamKeepAliveMs?: number
}

// The data plane's Fastify app. Plugins are registered explicitly; in a proxy the order is
// the design: error rendering and response headers first (they cover every route), then the
// services (snapshot, upstream pools, logs), then the routes.
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger,
    bodyLimit: BODY_LIMIT_BYTES,
    genReqId: () => newId('request'),
    requestIdHeader: false,
    logController: new LogController({ disableRequestLogging: true }),
    // Nothing logs per request (the request log is the event stream), so no per-request pino
    // child either: Fastify would build one for every request (≈1% of CPU in the bench profile).
    childLoggerFactory: (logger) => logger,
    return503OnClosing: true,
  })

  // Bodies stay bytes until the pipeline has authenticated the caller (pipeline/parse-body.ts).
  app.removeContentTypeParser('application/json')
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => done(null, body))

  await app.register(errorHandler)
  await app.register(responseHeaders)
  await app.register(gatewayServices, {
    infra: options.infra,
    keyring: options.keyring,
    dataDir: options.dataDir,
    pollIntervalMs: options.pollIntervalMs,
    allowPrivateUpstreams: options.env.allowPrivateUpstreams,
    ...(options.streamKeepAliveMs === undefined ? {} : { streamKeepAliveMs: options.streamKeepAliveMs }),
  })
  await app.register(health)
  await app.register(chatCompletions)
  await app.register(messages)
  await app.register(countTokens)
  await app.register(embeddings)
  await app.register(responses)
  await app.register(models)
  return app
}
