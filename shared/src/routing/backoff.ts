// Pure retry helpers (G-REL-14): when to try again, from our own backoff or the provider's word.

export interface BackoffOptions {
  /** The first retry's ceiling (attempt 1 waits up to baseMs). */
  baseMs?: number
  /** No wait is ever longer than this. */
  capMs?: number
  /** [0, 1); injectable so tests are exact. */
  rng?: () => number
}

/**
 * Exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff and Jitter"):
 * uniform in [0, min(cap, base × 2^(attempt−1))). Full jitter spreads a synchronised burst of
 * retries (every replica saw the same 503) instead of moving it.
 */
export function backoffDelayMs(attempt: number, options: BackoffOptions = {}): number {
  const base = options.baseMs ?? 250
  const cap = options.capMs ?? 10_000
  const rng = options.rng ?? Math.random
  const n = Math.max(1, Math.floor(attempt))
  // 2^(n−1) overflows to Infinity for a huge n; min() keeps the cap.
  const ceiling = Math.min(cap, base * 2 ** Math.min(n - 1, 1024))
  return Math.floor(rng() * ceiling)
}

export interface RetryAfterOptions {
  /** Longer than this and the caller should not wait at all (fall back or fail instead). */
  maxMs?: number
}

/** Header lookup that works for undici's record, a fetch Headers and a Map alike. */
export type HeaderSource = Headers | Map<string, string> | Record<string, string | string[] | undefined>

function header(headers: HeaderSource, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined
  if (headers instanceof Map) return headers.get(name)
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name) return Array.isArray(value) ? value[0] : value
  }
  return undefined
}

const MS_NUMBER = /^\s*\d+(\.\d+)?\s*$/
const SECONDS = /^\s*\d+\s*$/

/**
 * The wait a provider asked for, in ms, or null when it asked nothing usable. Millisecond headers
 * win over `retry-after` (more precise): `retry-after-ms` (OpenAI), `x-ms-retry-after-ms`
 * (Azure), then `retry-after` as delta-seconds or an HTTP date (RFC 9110 §10.2.3). A date in the
 * past means "now" (0). A wait above `maxMs` (default 60 s) answers `Infinity`: the caller must
 * not sleep that long on a request, but should know the provider said "not soon".
 */
export function retryAfterMs(headers: HeaderSource, now: number = Date.now(), options: RetryAfterOptions = {}): number | null {
  const max = options.maxMs ?? 60_000
  const cap = (ms: number) => (ms > max ? Number.POSITIVE_INFINITY : Math.max(0, Math.ceil(ms)))
  for (const name of ['retry-after-ms', 'x-ms-retry-after-ms']) {
    const value = header(headers, name)
    if (value !== undefined && MS_NUMBER.test(value)) return cap(Number(value))
  }
  const value = header(headers, 'retry-after')
  if (value === undefined) return null
  if (SECONDS.test(value)) return cap(Number(value) * 1000)
  // Only an HTTP date: Date.parse would also take "2" or "tomorrow"-ish strings in some engines.
  if (!/[a-z]{3},\s*\d{1,2}\s+[a-z]{3}\s+\d{4}\s+\d{2}:\d{2}:\d{2}\s+gmt/i.test(value)) return null
  const at = Date.parse(value)
  return Number.isNaN(at) ? null : cap(at - now)
}
