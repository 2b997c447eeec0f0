import { describe, expect, it } from 'vitest'
import { isAllowedOrigin } from './csrf.server.ts'

const base = { host: 'console.example:3000', publicOrigin: null }

describe('CSRF origin check', () => {
  it('lets safe methods through whatever the origin', () => {
    for (const method of ['GET', 'HEAD', 'OPTIONS']) expect(isAllowedOrigin({ ...base, method, origin: 'https://evil.example' })).toBe(true)
  })

  it('accepts a state-changing request only from this host', () => {
    expect(isAllowedOrigin({ ...base, method: 'POST', origin: 'http://console.example:3000' })).toBe(true)
    expect(isAllowedOrigin({ ...base, method: 'DELETE', origin: 'https://console.example:3000' })).toBe(true)
    expect(isAllowedOrigin({ ...base, method: 'POST', origin: 'https://evil.example' })).toBe(false)
    expect(isAllowedOrigin({ ...base, method: 'POST', origin: 'http://console.example:3001' })).toBe(false)
    expect(isAllowedOrigin({ ...base, method: 'PATCH', origin: 'http://console.example.evil.example:3000' })).toBe(false)
  })

  it('refuses a missing, null or non-http Origin', () => {
    for (const origin of [undefined, null, '', 'null', 'file:///x', 'not a url']) {
      expect(isAllowedOrigin({ ...base, method: 'POST', origin })).toBe(false)
    }
  })

  it('accepts the configured public origin behind a proxy that rewrites Host', () => {
    const input = { method: 'POST', origin: 'https://switchyard.example.com', host: '10.0.0.5:3000', publicOrigin: 'https://switchyard.example.com' }
    expect(isAllowedOrigin(input)).toBe(true)
    expect(isAllowedOrigin({ ...input, origin: 'https://other.example.com' })).toBe(false)
  })
})
