// Every error the gateway itself produces: one class, one table of stable codes. Only
// plugins/error-handler.ts turns these into a wire body (in the caller's dialect).

/** OpenAI reports auth, permission and not-found failures as `invalid_request_error` too. */
export type OpenAIErrorType = 'invalid_request_error' | 'server_error'

/**
 * Anthropic's `error.type` vocabulary (its SDK's `ErrorType`). A 413 is `invalid_request_error`
 * ("also used for other 4XX"), a 504 `timeout_error` (the SDK's GatewayTimeoutErrorObject).
 */
export type AnthropicErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'permission_error'
  | 'not_found_error'
  | 'rate_limit_error'
  | 'timeout_error'
  | 'api_error'
  | 'overloaded_error'

export interface ErrorSpec {
  status: number
  /** OpenAI's `error.type` and `error.code` vocabulary, used by the OpenAI renderer. */
  openai: { type: OpenAIErrorType; code: string }
  /** Anthropic's `error.type`, used by the Anthropic renderer. */
  anthropic: AnthropicErrorType
  /** A retry of the same request may succeed. */
  retryable: boolean
  /** A fallback strategy may try another target after this error (later: strategies/). */
  fallbackAllowed: boolean
}

export const ERRORS = {
  SY_ERR_AUTH_INVALID_KEY: { status: 401, openai: { type: 'invalid_request_error', code: 'invalid_api_key' }, anthropic: 'authentication_error', retryable: false, fallbackAllowed: false },
  SY_ERR_AUTH_KEY_EXPIRED: { status: 401, openai: { type: 'invalid_request_error', code: 'invalid_api_key' }, anthropic: 'authentication_error', retryable: false, fallbackAllowed: false },
  SY_ERR_MODEL_NOT_ALLOWED: { status: 403, openai: { type: 'invalid_request_error', code: 'model_not_allowed' }, anthropic: 'permission_error', retryable: false, fallbackAllowed: false },
  SY_ERR_MODEL_NOT_FOUND: { status: 404, openai: { type: 'invalid_request_error', code: 'model_not_found' }, anthropic: 'not_found_error', retryable: false, fallbackAllowed: false },
  SY_ERR_ROUTE_NOT_FOUND: { status: 404, openai: { type: 'invalid_request_error', code: 'unknown_url' }, anthropic: 'not_found_error', retryable: false, fallbackAllowed: false },
  SY_ERR_REQUEST_INVALID_JSON: { status: 400, openai: { type: 'invalid_request_error', code: 'invalid_json' }, anthropic: 'invalid_request_error', retryable: false, fallbackAllowed: false },
  SY_ERR_REQUEST_INVALID: { status: 400, openai: { type: 'invalid_request_error', code: 'invalid_request' }, anthropic: 'invalid_request_error', retryable: false, fallbackAllowed: false },
  SY_ERR_REQUEST_TOO_LARGE: { status: 413, openai: { type: 'invalid_request_error', code: 'request_too_large' }, anthropic: 'invalid_request_error', retryable: false, fallbackAllowed: false },
  SY_ERR_REQUEST_UNSUPPORTED_MEDIA_TYPE: { status: 415, openai: { type: 'invalid_request_error', code: 'unsupported_media_type' }, anthropic: 'invalid_request_error', retryable: false, fallbackAllowed: false },
  /** The request uses a feature the other API family cannot express (translation would change its meaning). */
  SY_ERR_REQUEST_UNTRANSLATABLE: { status: 400, openai: { type: 'invalid_request_error', code: 'unsupported_parameter' }, anthropic: 'invalid_request_error', retryable: false, fallbackAllowed: true },
  SY_ERR_PROVIDER_UNSUPPORTED: { status: 400, openai: { type: 'invalid_request_error', code: 'provider_not_supported' }, anthropic: 'invalid_request_error', retryable: false, fallbackAllowed: true },
  SY_ERR_PROVIDER_MISCONFIGURED: { status: 500, openai: { type: 'server_error', code: 'provider_misconfigured' }, anthropic: 'api_error', retryable: false, fallbackAllowed: true },
  SY_ERR_UPSTREAM_FORBIDDEN: { status: 502, openai: { type: 'server_error', code: 'upstream_forbidden' }, anthropic: 'api_error', retryable: false, fallbackAllowed: true },
  SY_ERR_UPSTREAM_UNREACHABLE: { status: 502, openai: { type: 'server_error', code: 'upstream_unreachable' }, anthropic: 'api_error', retryable: true, fallbackAllowed: true },
  SY_ERR_UPSTREAM_TIMEOUT: { status: 504, openai: { type: 'server_error', code: 'upstream_timeout' }, anthropic: 'timeout_error', retryable: true, fallbackAllowed: true },
  /** A 2xx upstream answer that could not be read for translation. */
  SY_ERR_UPSTREAM_BAD_RESPONSE: { status: 502, openai: { type: 'server_error', code: 'upstream_bad_response' }, anthropic: 'api_error', retryable: true, fallbackAllowed: true },
  SY_ERR_UPSTREAM_STREAM_INCOMPLETE: { status: 502, openai: { type: 'server_error', code: 'upstream_stream_incomplete' }, anthropic: 'api_error', retryable: true, fallbackAllowed: false },
  /** The upstream answered with a non-2xx status: its body is relayed, this code only reaches the log. */
  SY_ERR_UPSTREAM_STATUS: { status: 502, openai: { type: 'server_error', code: 'upstream_error' }, anthropic: 'api_error', retryable: true, fallbackAllowed: true },
  /** A whole upstream answer, or one stream event, above the gateway's size limit (relay/json.ts, upstream/sse.ts). */
  SY_ERR_UPSTREAM_RESPONSE_TOO_LARGE: { status: 502, openai: { type: 'server_error', code: 'upstream_response_too_large' }, anthropic: 'api_error', retryable: false, fallbackAllowed: true },
  SY_ERR_NOT_READY: { status: 503, openai: { type: 'server_error', code: 'not_ready' }, anthropic: 'api_error', retryable: true, fallbackAllowed: false },
  SY_ERR_INTERNAL: { status: 500, openai: { type: 'server_error', code: 'internal_error' }, anthropic: 'api_error', retryable: true, fallbackAllowed: false },
  /** The request's body did not arrive within the request timeout (slow or stalled upload). */
  SY_ERR_REQUEST_TIMEOUT: { status: 408, openai: { type: 'invalid_request_error', code: 'request_timeout' }, anthropic: 'timeout_error', retryable: true, fallbackAllowed: false },
  SY_ERR_REQUEST_HEADERS_TOO_LARGE: { status: 431, openai: { type: 'invalid_request_error', code: 'request_headers_too_large' }, anthropic: 'invalid_request_error', retryable: false, fallbackAllowed: false },
  /** The request has passed through more Switchyard gateways than allowed: a connection points back at a gateway. */
  SY_ERR_REQUEST_LOOP: { status: 508, openai: { type: 'invalid_request_error', code: 'loop_detected' }, anthropic: 'invalid_request_error', retryable: false, fallbackAllowed: true },
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
