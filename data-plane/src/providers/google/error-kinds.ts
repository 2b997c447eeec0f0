import type { ErrorKindTable } from '../error-kinds.ts'

// Gemini's google.rpc.Code names (`error.status`) → kinds.
export const googleErrorKinds: ErrorKindTable = {
  names: { resource_exhausted: 'rate_limited', unavailable: 'overloaded', internal: 'server_error', unknown: 'server_error', deadline_exceeded: 'timeout' },
  messages: [[/exceeds the maximum number of tokens|input token count/i, 'context_length']],
}
