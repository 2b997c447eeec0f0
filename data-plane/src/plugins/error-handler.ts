import { HEADERS } from '@switchyard/shared/headers'
import { STATUS_CODES } from 'node:http'
import type { Socket } from 'node:net'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { dialects } from '../dialects/registry.ts'
import { type ErrorCode, GatewayError } from '../errors.ts'
import { dialectOf, toGatewayError } from '../http/errors.ts'

// The ONLY place gateway errors become wire bodies, in the caller's dialect (the route family),
// through that dialect's renderer (dialects/<family>/error.ts): OpenAI
// `{"error":{message,type,param,code}}`, Anthropic `{"type":"error","error":{type,message}}`.
// Switchyard's own code rides in `x-switchyard-error`.

/** Honoured by the OpenAI and Anthropic SDKs, which otherwise retry every 5xx (a loop's 508 twice more). */
const SHOULD_RETRY = 'x-should-retry'

function sendError(err: GatewayError, request: FastifyRequest, reply: FastifyReply) {
  if (request.gateway) request.gateway.outcome.errorCode = err.code
  if (err.code === 'SY_ERR_INTERNAL') request.log.error({ err: err.cause }, 'unexpected error')
  if (err.status >= 500 && !err.spec.retryable) reply.header(SHOULD_RETRY, 'false')
  return reply
    .code(err.status)
    .header(HEADERS.error, err.code)
    .header('content-type', 'application/json; charset=utf-8')
    .send(dialects[request.gateway?.dialect ?? dialectOf(request.url)].renderGatewayError(err))
}

/** Node's socket while a request on it is in flight: its response, and through it the request's URL. */
type InFlightSocket = Socket & { _httpMessage?: { req?: { url?: string }; _headerSent?: boolean } | null }

const CLIENT_ERRORS: Record<string, [ErrorCode, string]> = {
  ERR_HTTP_REQUEST_TIMEOUT: ['SY_ERR_REQUEST_TIMEOUT', 'The request was not received in time; the connection is closed.'],
  HPE_HEADER_OVERFLOW: ['SY_ERR_REQUEST_HEADERS_TOO_LARGE', 'The request headers are too large.'],
}

/**
 * Fastify's clientErrorHandler: errors of the connection before a request reached a route (a
 * request or head timeout, headers too large, unparseable HTTP). Answered on the raw socket,
 * in the caller's format when its URL is known (a body timeout: the route had started), then
 * the socket is closed.
 */
export function answerClientError(err: Error & { code?: string }, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return
  const inFlight = (socket as InFlightSocket)._httpMessage
  // As Node does: an answer only where no response has started on this socket.
  if (socket.writable && !inFlight?._headerSent) {
    const [code, message] = CLIENT_ERRORS[err.code ?? ''] ?? ['SY_ERR_REQUEST_INVALID', 'The request is not valid HTTP.']
    const error = new GatewayError(code, message)
    const url = inFlight?.req?.url ?? ''
    const body = JSON.stringify(dialects[dialectOf(url)].renderGatewayError(error))
    socket.write(
      `HTTP/1.1 ${error.status} ${STATUS_CODES[error.status] ?? ''}\r\n` +
        `content-type: application/json; charset=utf-8\r\n${HEADERS.error}: ${code}\r\n` +
        `content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
    )
  }
  socket.destroy(err)
}

async function errorHandler(app: FastifyInstance) {
  app.setErrorHandler((error, request, reply) => sendError(toGatewayError(error), request, reply))
  app.setNotFoundHandler((request, reply) =>
    sendError(new GatewayError('SY_ERR_ROUTE_NOT_FOUND', `Unknown request URL: ${request.method} ${request.url.split('?')[0]}.`), request, reply),
  )
}

export default fp(errorHandler, { name: 'error-handler' })
