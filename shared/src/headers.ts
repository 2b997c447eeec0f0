// Header names of CONTRACT.md, in one place for both planes and the tests.
export const HEADERS = {
  requestId: 'x-request-id',
  upstreamRequestId: 'x-switchyard-upstream-request-id',
  provider: 'x-switchyard-provider',
  model: 'x-switchyard-model',
  error: 'x-switchyard-error',
  degraded: 'x-switchyard-degraded',
  serverTiming: 'server-timing',
  /** Upstream attempts started for the answer (CONTRACT.md §Routes). */
  attempts: 'x-switchyard-attempts',
  /** The serving attempt's choice in the plan (0 = first choice). */
  fallbackIndex: 'x-switchyard-fallback-index',
} as const

/** Upstream headers relayed to the client unchanged (rate limits and back-off hints). */
export const PASSTHROUGH_RESPONSE_HEADER = /^(x-ratelimit-|anthropic-ratelimit-|retry-after$|retry-after-ms$)/
