import type { ErrorKindTable } from '../error-kinds.ts'

// Anthropic's error types (https://docs.anthropic.com/en/api/errors) → kinds. 529 is its
// overloaded status; a prompt over the context window is an invalid_request_error whose message
// says so.
export const anthropicErrorKinds: ErrorKindTable = {
  names: { overloaded_error: 'overloaded', rate_limit_error: 'rate_limited', api_error: 'server_error', timeout_error: 'timeout' },
  statuses: { 529: 'overloaded' },
  messages: [[/prompt is too long|context window|exceeds? the (model's )?maximum/i, 'context_length']],
}
