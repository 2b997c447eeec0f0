// CONTRACT.md §Routes: the kinds of upstream failure. The adapters classify into them
// (data-plane/src/providers/error-kinds.ts), the log event records them, and a plan's
// `fallback.on` names them. Dependency-free, so the console's browser bundle can import it.
export const ERROR_KINDS = ['connection', 'timeout', 'rate_limited', 'server_error', 'overloaded', 'stream_error', 'context_length', 'content_filter'] as const
export type ErrorKind = (typeof ERROR_KINDS)[number]
