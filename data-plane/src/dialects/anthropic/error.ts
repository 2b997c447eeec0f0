import type { AnthropicErrorType, GatewayError } from '../../errors.ts'
import type { CanonicalError, CanonicalErrorKind } from '../canonical.ts'
import type { ErrorAnswer } from '../types.ts'

// Errors in Anthropic's shape: `{"type":"error","error":{type,message}}`. An upstream error of
// the other family keeps its status and message; its kind picks Anthropic's type. OpenAI's 503
// (its "overloaded" answer) becomes 529 overloaded_error, what Anthropic answers when overloaded.

const KINDS: Record<CanonicalErrorKind, { type: AnthropicErrorType | 'billing_error'; status?: number }> = {
  invalid_request: { type: 'invalid_request_error' },
  authentication: { type: 'authentication_error' },
  permission: { type: 'permission_error' },
  not_found: { type: 'not_found_error' },
  request_too_large: { type: 'invalid_request_error' },
  rate_limit: { type: 'rate_limit_error' },
  billing: { type: 'billing_error' },
  api_error: { type: 'api_error' },
  overloaded: { type: 'overloaded_error', status: 529 },
  timeout: { type: 'timeout_error' },
}

function body(type: string, message: string) {
  return { type: 'error', error: { type, message } }
}

export function renderAnthropicUpstreamError(error: CanonicalError): ErrorAnswer {
  const kind = KINDS[error.kind]
  return { status: kind.status ?? error.status, body: body(kind.type, error.message) }
}

export function renderAnthropicGatewayError(err: GatewayError): unknown {
  return body(err.spec.anthropic, err.message)
}

export function renderAnthropicStreamError(errorBody: unknown): string {
  return `event: error\ndata: ${JSON.stringify(errorBody)}\n\n`
}
