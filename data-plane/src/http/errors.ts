import type { FastifyError } from 'fastify'
import { dialects } from '../dialects/registry.ts'
import { type ErrorCode, GatewayError } from '../errors.ts'
import type { Dialect } from '../providers/types.ts'

// Thrown values → GatewayErrors, and the in-band stream error event: shared by the error
// handler (plugins/error-handler.ts, which renders every other error answer) and the relays.

const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'SY_ERR_REQUEST_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'SY_ERR_REQUEST_UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'SY_ERR_REQUEST_INVALID',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'SY_ERR_REQUEST_INVALID_JSON',
  FST_ERR_CTP_INVALID_JSON_BODY: 'SY_ERR_REQUEST_INVALID_JSON',
}

const FASTIFY_MESSAGES: Partial<Record<ErrorCode, string>> = {
  SY_ERR_REQUEST_TOO_LARGE: 'The request body is too large.',
  SY_ERR_REQUEST_UNSUPPORTED_MEDIA_TYPE: 'Send the request body as application/json.',
}

/** Any thrown value → a GatewayError (unknown errors become SY_ERR_INTERNAL, their text hidden). */
export function toGatewayError(err: unknown): GatewayError {
  if (err instanceof GatewayError) return err
  const fastifyCode = (err as FastifyError | null)?.code
  const mapped = fastifyCode ? FASTIFY_CODES[fastifyCode] : undefined
  if (mapped) return new GatewayError(mapped, FASTIFY_MESSAGES[mapped] ?? 'The request body is not valid.', { cause: err })
  const status = (err as FastifyError | null)?.statusCode
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return new GatewayError('SY_ERR_REQUEST_INVALID', 'The request is not valid.', { cause: err })
  }
  return new GatewayError('SY_ERR_INTERNAL', 'The gateway hit an unexpected error.', { cause: err })
}

export function dialectOf(url: string): Dialect {
  return url.startsWith('/v1/messages') ? 'anthropic' : 'openai'
}

/** The terminal in-band error event ending a stream that already sent bytes. */
export function renderStreamError(err: GatewayError, dialect: Dialect): string {
  const family = dialects[dialect]
  return family.renderStreamError(family.renderGatewayError(err))
}
