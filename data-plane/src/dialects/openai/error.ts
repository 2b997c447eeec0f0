import type { GatewayError } from '../../errors.ts'
import type { CanonicalError, CanonicalErrorKind } from '../canonical.ts'
import type { ErrorAnswer } from '../types.ts'

// Errors in OpenAI's shape: `{"error":{message,type,param,code}}`. An upstream error of the
// other family keeps its status and message; its kind picks OpenAI's type/code vocabulary.
// Anthropic's 529 overloaded_error becomes 503 (what OpenAI answers when overloaded).

export interface OpenAIErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null }
}

const KINDS: Record<CanonicalErrorKind, { type: string; code: string | null; status?: number }> = {
  invalid_request: { type: 'invalid_request_error', code: null },
  authentication: { type: 'invalid_request_error', code: 'invalid_api_key' },
  permission: { type: 'invalid_request_error', code: 'permission_denied' },
  not_found: { type: 'invalid_request_error', code: 'not_found' },
  request_too_large: { type: 'invalid_request_error', code: 'request_too_large' },
  rate_limit: { type: 'requests', code: 'rate_limit_exceeded' },
  billing: { type: 'insufficient_quota', code: 'insufficient_quota' },
  api_error: { type: 'server_error', code: null },
  overloaded: { type: 'server_error', code: 'overloaded', status: 503 },
  timeout: { type: 'server_error', code: 'timeout' },
}

export function renderOpenAIUpstreamError(error: CanonicalError): ErrorAnswer {
  const kind = KINDS[error.kind]
  return { status: kind.status ?? error.status, body: { error: { message: error.message, type: kind.type, param: null, code: kind.code } } }
}

export function renderOpenAIGatewayError(err: GatewayError): OpenAIErrorBody {
  return { error: { message: err.message, type: err.spec.openai.type, param: err.options.param ?? null, code: err.spec.openai.code } }
}

export function renderOpenAIStreamError(body: unknown): string {
  return `data: ${JSON.stringify(body)}\n\n`
}
