import type { GatewayError } from '../../errors.ts'
import type { CanonicalError } from '../canonical.ts'
import { type OpenAIErrorBody, renderOpenAIGatewayError, renderOpenAIUpstreamError } from '../openai/error.ts'
import type { ErrorAnswer } from '../types.ts'
import { responsesStreamError } from './stream.ts'

// Errors of the Responses API: whole answers in OpenAI's shape (`{"error":{message,type,param,
// code}}`, the same vocabulary as Chat Completions); inside a stream a terminal `event: error`
// with `code`, `message`, `param` and `sequence_number`. The stream encoder renders that event
// with its own sequence number (ResponsesStreamEncoder.encodeGatewayError); this stateless
// form, without a stream to count in, numbers it 0.

export function renderResponsesUpstreamError(error: CanonicalError): ErrorAnswer {
  return renderOpenAIUpstreamError(error)
}

export function renderResponsesGatewayError(err: GatewayError): OpenAIErrorBody {
  return renderOpenAIGatewayError(err)
}

export function renderResponsesStreamError(body: unknown): string {
  const error = (body as Partial<OpenAIErrorBody> | null)?.error
  return responsesStreamError({ code: error?.code ?? error?.type ?? null, message: error?.message ?? 'The request failed.', param: error?.param ?? null }, 0)
}
