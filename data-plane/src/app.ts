import type { Keyring } from '@switchyard/shared/crypto'
import type { SwitchyardEnv } from '@switchyard/shared/env'
import { newId } from '@switchyard/shared/ids'
import type { Infra } from '@switchyard/shared/infra'
import Fastify, { type FastifyInstance, LogController } from 'fastify'
import errorHandler, { answerClientError } from './plugins/error-handler.ts'
import gatewayServices from './plugins/gateway-services.ts'
import responseHeaders from './plugins/response-headers.ts'
import countTokens from './routes/anthropic/count-tokens.ts'
import messages from './routes/anthropic/messages.ts'
import health from './routes/health.ts'
import models from './routes/models.ts'
import chatCompletions from './routes/openai/chat-completions.ts'
import embeddings from './routes/openai/embeddings.ts'
import { BODY_LIMIT_BYTES } from './routes/gateway-endpoint.ts'
import responses from './routes/openai/responses.ts'

export { BODY_LIMIT_BYTES }

// Every other route (health, model list, unknown URLs, which Fastify parses before answering
// 404) reads at most this much: no one unauthenticated gets a large body buffered.
const OTHER_ROUTES_BODY_LIMIT_BYTES = 64 * 1024

// Receiving a request (G-SEC-17): its head must be in within HEADERS_TIMEOUT_MS and the whole
// request, body included, within REQUEST_TIMEOUT_MS (a 10 MB body at 2 Mbit/s takes 40 s), else
// the connection gets a 408 in the caller's format and is closed (a slowloris upload is cut).
// Node checks these every CONNECTIONS_CHECK_MS and only while the request is being received:
// the response, a stream lasting minutes included, is never timed by them. There is no idle
// socket timeout either (a non-streamed answer may take minutes upstream); keep-alive
// connections idle between requests close after Fastify's keepAliveTimeout (72 s).
export const REQUEST_TIMEOUT_MS = 60_000
export const HEADERS_TIMEOUT_MS = 10_000
const CONNECTIONS_CHECK_MS = 1_000

export interface AppOptions {
  env: SwitchyardEnv
  infra: Infra
  keyring: Keyring
  dataDir: string
  pollIntervalMs: number
  logger: boolean
  /** Time to receive a whole request (default REQUEST_TIMEOUT_MS); its head: at most HEADERS_TIMEOUT_MS of it. */
  requestTimeoutMs?: number
  /** See gateway-services.ts (default 10 s). */
  streamKeepAliveMs?: number
}

// The data plane's Fastify app. Plugins are registered explicitly; in a proxy the order is
// the design: error rendering and response headers first (they cover every route), then the
// services (snapshot, upstream pools, logs), then the routes.
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const requestTimeout = options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS
  const app = Fastify({
    logger: options.logger,
    bodyLimit: OTHER_ROUTES_BODY_LIMIT_BYTES,
    requestTimeout,
    http: { headersTimeout: Math.min(HEADERS_TIMEOUT_MS, requestTimeout), connectionsCheckingInterval: Math.min(CONNECTIONS_CHECK_MS, requestTimeout) },
    clientErrorHandler: answerClientError,
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
