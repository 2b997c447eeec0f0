import type { ErrorKindTable } from '../error-kinds.ts'

// OpenAI's error codes and types → kinds (also Azure OpenAI's and most OpenAI-compatible
// servers'). The code is more specific than the type (a context overflow is an
// invalid_request_error with code context_length_exceeded), so it is read first.
export const openaiErrorKinds: ErrorKindTable = {
  names: {
    context_length_exceeded: 'context_length',
    string_above_max_length: 'context_length',
    content_filter: 'content_filter',
    content_policy_violation: 'content_filter',
    responsibleaipolicyviolation: 'content_filter',
    rate_limit_exceeded: 'rate_limited',
    insufficient_quota: 'rate_limited',
    tokens: 'rate_limited',
    requests: 'rate_limited',
    '429': 'rate_limited',
    serviceunavailable: 'overloaded',
  },
  messages: [[/maximum context length|context length|too many tokens/i, 'context_length']],
}
