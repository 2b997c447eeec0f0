import type { RateState } from './ports.ts'

// The `x-ratelimit-*` headers of CONTRACT.md §Budgets and rate limits, from admit's states: the
// data plane picks the tightest requests rule and the tightest tokens rule (tightest()) and
// renders them here, so both dialects and the tests share one format.

/**
 * OpenAI's duration format (Go's time.Duration): `250ms` under a second, otherwise hours,
 * minutes and seconds with up to three decimals: `12s`, `1.5s`, `1m0s`, `2h0m0s`.
 */
export function formatResetDuration(ms: number): string {
  const total = Math.max(0, Math.ceil(ms))
  if (total < 1000) return `${total}ms`
  const hours = Math.floor(total / 3_600_000)
  const minutes = Math.floor((total % 3_600_000) / 60_000)
  const seconds = `${Number(((total % 60_000) / 1000).toFixed(3))}s`
  if (hours > 0) return `${hours}h${minutes}m${seconds}`
  if (minutes > 0) return `${minutes}m${seconds}`
  return seconds
}

/** `retry-after` in whole seconds, never 0 for a rejected call (0 invites an immediate retry). */
export function retryAfterSeconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000))
}

export function rateLimitHeaders(states: { requests?: RateState | null; tokens?: RateState | null }): Record<string, string> {
  const headers: Record<string, string> = {}
  for (const kind of ['requests', 'tokens'] as const) {
    const state = states[kind]
    if (!state) continue
    headers[`x-ratelimit-limit-${kind}`] = String(state.limit)
    headers[`x-ratelimit-remaining-${kind}`] = String(state.remaining)
    headers[`x-ratelimit-reset-${kind}`] = formatResetDuration(state.resetMs)
  }
  return headers
}
