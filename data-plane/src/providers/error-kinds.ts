import type { ErrorKind } from '@switchyard/shared/events'
import type { ErrorCode, GatewayError } from '../errors.ts'
import type { UpstreamHeaders } from '../upstream/client.ts'

// Upstream failures → the contract's error kinds (CONTRACT.md §Routes), the one vocabulary the
// fallback rules (and later breakers and retries) read. Each adapter declares its provider's
// names as data (an ErrorKindTable: the error types/codes/statuses its bodies carry, statuses of
// its own, message patterns); the rules that hold for every provider are here. A failure with
// no kind (null) is "not eligible": a caller's 4xx (400, 401, 403, 404, 422), returned as is,
// never retried, never fallen back.
//
// Precedence: what the provider named (most specific) → the provider's own statuses → the
// statuses every provider shares → any other 5xx is `server_error`.

export { ERROR_KINDS, type ErrorKind } from '@switchyard/shared/events'

export interface ErrorKindTable {
  /** Lower-case error names (OpenAI `error.code` / `error.type`, Anthropic `error.type`, Gemini `error.status`, Bedrock exception names) → kind. */
  readonly names: Readonly<Record<string, ErrorKind>>
  /** Statuses with a meaning of their own at this provider (Anthropic's 529). */
  readonly statuses?: Readonly<Record<number, ErrorKind>>
  /** Error messages that say what the name does not (Anthropic's "prompt is too long" is an invalid_request_error). */
  readonly messages?: readonly (readonly [RegExp, ErrorKind])[]
}

const SHARED_STATUSES: Readonly<Record<number, ErrorKind>> = { 408: 'timeout', 429: 'rate_limited', 503: 'overloaded', 504: 'timeout' }

/** Gateway-made transport failures (upstream/client.ts, the relays): no provider said anything. */
const TRANSPORT: Partial<Record<ErrorCode, ErrorKind>> = {
  SY_ERR_UPSTREAM_UNREACHABLE: 'connection',
  SY_ERR_UPSTREAM_TIMEOUT: 'timeout',
  SY_ERR_UPSTREAM_STREAM_INCOMPLETE: 'stream_error',
  SY_ERR_UPSTREAM_BAD_RESPONSE: 'server_error',
  SY_ERR_UPSTREAM_RESPONSE_TOO_LARGE: 'server_error',
}

export interface UpstreamFailure {
  status: number
  headers?: UpstreamHeaders
  /** The error body, parsed when it is JSON (else null). */
  body: unknown
}

function record(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null
}

/** `ThrottlingException:http://…` and `com.amazon…#ThrottlingException` → `throttlingexception`. */
function bareName(value: string): string {
  const hash = value.lastIndexOf('#')
  const tail = hash === -1 ? value : value.slice(hash + 1)
  const colon = tail.indexOf(':')
  return (colon === -1 ? tail : tail.slice(0, colon)).toLowerCase()
}

/** The names a failure carries, most specific first, and its message. */
function namesOf(failure: UpstreamFailure): { names: string[]; message: string } {
  const names: string[] = []
  let message = ''
  const body = record(failure.body)
  const error = record(body?.error)
  for (const value of [error?.code, error?.type, error?.status, body?.__type, body?.code, body?.type === 'error' ? undefined : body?.type]) {
    if (typeof value === 'string' && value !== '') names.push(bareName(value))
  }
  const header = failure.headers?.['x-amzn-errortype']
  if (typeof header === 'string') names.unshift(bareName(header))
  for (const value of [error?.message, body?.message, body?.Message]) {
    if (typeof value === 'string') {
      message = value
      break
    }
  }
  return { names, message }
}

/** An upstream error answer (HTTP status, or an in-band error event standing for one) → its kind, or null (not eligible). */
export function classifyUpstreamFailure(table: ErrorKindTable, failure: UpstreamFailure): ErrorKind | null {
  const { names, message } = namesOf(failure)
  for (const name of names) {
    const kind = table.names[name]
    if (kind) return kind
  }
  for (const [pattern, kind] of table.messages ?? []) if (pattern.test(message)) return kind
  const kind = table.statuses?.[failure.status] ?? SHARED_STATUSES[failure.status]
  if (kind) return kind
  return failure.status >= 500 ? 'server_error' : null
}

/**
 * An in-band error event. Before the first content (the stream relay's open phase) it is a
 * failed attempt like an error status, classified by what it names; once content went out,
 * whatever it names, the stream broke: `stream_error`.
 */
export function classifyStreamError(table: ErrorKindTable, event: { data: string | null; status: number }, opened: boolean): ErrorKind {
  if (opened) return 'stream_error'
  let body: unknown = null
  try {
    body = event.data ? JSON.parse(event.data) : null
  } catch {
    body = null
  }
  return classifyUpstreamFailure(table, { status: event.status, body }) ?? 'stream_error'
}

/** A gateway-made failure of the exchange (connect, timeout, a broken stream) → its kind; null for the rest. */
export function classifyGatewayError(err: GatewayError): ErrorKind | null {
  return TRANSPORT[err.code] ?? null
}
