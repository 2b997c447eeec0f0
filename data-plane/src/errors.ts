// Every error the gateway itself produces: one class, one table of stable codes. Only
// plugins/error-handler.ts turns these into a wire body (in the caller's dialect).

/** OpenAI reports auth, permission and not-found failures as `invalid_request_error` too. */
export type OpenAIErrorType = 'invalid_request_error' | 'server_error'

export interface ErrorSpec {
  status: number
  /** OpenAI's `error.type` and `error.code` vocabulary, used by the OpenAI renderer. */
  openai: { type: OpenAIErrorType; code: string }
  /** A retry of the same request may succeed. */
  retryable: boolean
  /** A fallback strategy may try another target after this error (later: strategies/). */
  fallbackAllowed: boolean
}

export const ERRORS = {
  SY_ERR_AUTH_INVALID_KEY: { status: 401, openai: { type: 'invalid_request_error', code: 'invalid_api_key' }, retryable: false, fallbackAllowed: false },
  SY_ERR_AUTH_KEY_EXPIRED: { status: 401, openai: { type: 'invalid_request_error', code: 'invalid_api_key' }, retryable: false, fallbackAllowed: false },
  SY_ERR_MODEL_NOT_ALLOWED: { status: 403, openai: { type: 'invalid_request_error', code: 'model_not_allowed' }, retryable: false, fallbackAllowed: false },
  SY_ERR_MODEL_NOT_FOUND: { status: 404, openai: { type: 'invalid_request_error', code: 'model_not_found' }, retryable: false, fallbackAllowed: false },
  SY_ERR_ROUTE_NOT_FOUND: { status: 404, openai: { type: 'invalid_request_error', code: 'unknown_url' }, retryable: false, fallbackAllowed: false },
  SY_ERR_REQUEST_INVALID_JSON: { status: 400, openai: { type: 'invalid_request_error', code: 'invalid_json' }, retryable: false, fallbackAllowed: false },
  SY_ERR_REQUEST_INVALID: { status: 400, openai: { type: 'invalid_request_error', code: 'invalid_request' }, retryable: false, fallbackAllowed: false },
  SY_ERR_REQUEST_TOO_LARGE: { status: 413, openai: { type: 'invalid_request_error', code: 'request_too_large' }, retryable: false, fallbackAllowed: false },
  SY_ERR_REQUEST_UNSUPPORTED_MEDIA_TYPE: { status: 415, openai: { type: 'invalid_request_error', code: 'unsupported_media_type' }, retryable: false, fallbackAllowed: false },
  SY_ERR_PROVIDER_UNSUPPORTED: { status: 400, openai: { type: 'invalid_request_error', code: 'provider_not_supported' }, retryable: false, fallbackAllowed: true },
  SY_ERR_PROVIDER_MISCONFIGURED: { status: 500, openai: { type: 'server_error', code: 'provider_misconfigured' }, retryable: false, fallbackAllowed: true },
  SY_ERR_UPSTREAM_FORBIDDEN: { status: 502, openai: { type: 'server_error', code: 'upstream_forbidden' }, retryable: false, fallbackAllowed: true },
  SY_ERR_UPSTREAM_UNREACHABLE: { status: 502, openai: { type: 'server_error', code: 'upstream_unreachable' }, retryable: true, fallbackAllowed: true },
  SY_ERR_UPSTREAM_TIMEOUT: { status: 504, openai: { type: 'server_error', code: 'upstream_timeout' }, retryable: true, fallbackAllowed: true },
  SY_ERR_UPSTREAM_STREAM_INCOMPLETE: { status: 502, openai: { type: 'server_error', code: 'upstream_stream_incomplete' }, retryable: true, fallbackAllowed: false },
  /** The upstream answered with a non-2xx status: its body is relayed, this code only reaches the log. */
  SY_ERR_UPSTREAM_STATUS: { status: 502, openai: { type: 'server_error', code: 'upstream_error' }, retryable: true, fallbackAllowed: true },
  SY_ERR_NOT_READY: { status: 503, openai: { type: 'server_error', code: 'not_ready' }, retryable: true, fallbackAllowed: false },
  SY_ERR_INTERNAL: { status: 500, openai: { type: 'server_error', code: 'internal_error' }, retryable: true, fallbackAllowed: false },
} as const satisfies Record<string, ErrorSpec>

export type ErrorCode = keyof typeof ERRORS

export class GatewayError extends Error {
  override name = 'GatewayError'
  readonly spec: ErrorSpec

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly options: { param?: string | null; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.spec = ERRORS[code]
  }

  get status(): number {
    return this.spec.status
  }
}
