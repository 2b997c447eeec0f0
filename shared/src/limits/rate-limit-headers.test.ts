import { describe, expect, it } from 'vitest'
import { formatResetDuration, rateLimitHeaders, retryAfterSeconds } from './rate-limit-headers.ts'
import { tightest } from './rules.ts'

describe('x-ratelimit-* headers', () => {
  it("formats resets in OpenAI's duration format", () => {
    expect(formatResetDuration(250)).toBe('250ms')
    expect(formatResetDuration(0)).toBe('0ms')
    expect(formatResetDuration(12_000)).toBe('12s')
    expect(formatResetDuration(1500)).toBe('1.5s')
    expect(formatResetDuration(60_000)).toBe('1m0s')
    expect(formatResetDuration(61_250)).toBe('1m1.25s')
    expect(formatResetDuration(7_200_000)).toBe('2h0m0s')
    expect(formatResetDuration(0.2)).toBe('1ms')
  })

  it('gives retry-after in whole seconds, at least 1', () => {
    expect(retryAfterSeconds(1)).toBe(1)
    expect(retryAfterSeconds(1000)).toBe(1)
    expect(retryAfterSeconds(1001)).toBe(2)
    expect(retryAfterSeconds(0)).toBe(1)
  })

  it('describes the tightest requests and tokens subjects', () => {
    const requests = tightest([
      { key: 'team', limit: 1000, remaining: 900, resetMs: 6000 },
      { key: 'vk', limit: 10, remaining: 2, resetMs: 48_000 },
    ])
    const tokens = tightest([{ key: 'vk:tpm', limit: 100_000, remaining: 99_000, resetMs: 600 }])
    expect(requests?.key).toBe('vk')
    expect(rateLimitHeaders({ requests, tokens })).toEqual({
      'x-ratelimit-limit-requests': '10',
      'x-ratelimit-remaining-requests': '2',
      'x-ratelimit-reset-requests': '48s',
      'x-ratelimit-limit-tokens': '100000',
      'x-ratelimit-remaining-tokens': '99000',
      'x-ratelimit-reset-tokens': '600ms',
    })
    expect(rateLimitHeaders({ requests: null })).toEqual({})
  })
})
