import { describe, expect, it } from 'vitest'
import { isAllowedOrigin } from './csrf.server.ts'

const base = { publicOrigin: 'https://console.example' }

describe('CSRF origin check (G-SEC-11)', () => {
  it('lets safe methods through whatever the origin', () => {
    for (const method of ['GET', 'HEAD', 'OPTIONS']) expect(isAllowedOrigin({ ...base, method, origin: 'https://evil.example' })).toBe(true)
  })

  it('accepts a state-changing request only from the configured public origin', () => {
    expect(isAllowedOrigin({ ...base, method: 'POST', origin: 'https://console.example' })).toBe(true)
    expect(isAllowedOrigin({ ...base, method: 'DELETE', origin: 'https://console.example:443' })).toBe(true)
    expect(isAllowedOrigin({ ...base, method: 'POST', origin: 'http://console.example' })).toBe(false)
    expect(isAllowedOrigin({ ...base, method: 'POST', origin: 'https://evil.example' })).toBe(false)
    expect(isAllowedOrigin({ ...base, method: 'POST', origin: 'https://console.example:8443' })).toBe(false)
    expect(isAllowedOrigin({ ...base, method: 'PATCH', origin: 'https://console.example.evil.example' })).toBe(false)
  })

  it('never trusts the Host header: an attacker-chosen Host matching the Origin is refused', () => {
    // The old check compared Origin with Host; a request carrying Host: evil.example and
    // Origin: https://evil.example passed it. The input no longer has a Host at all.
    expect(isAllowedOrigin({ ...base, method: 'POST', origin: 'https://evil.example', host: 'evil.example' } as never)).toBe(false)
  })

  it('refuses a missing, null or non-http Origin', () => {
    for (const origin of [undefined, null, '', 'null', 'file:///x', 'not a url']) {
      expect(isAllowedOrigin({ ...base, method: 'POST', origin })).toBe(false)
    }
  })

  it('a loopback public origin accepts the other loopback names on the same port only', () => {
    const local = { method: 'POST', publicOrigin: 'http://127.0.0.1:3000' }
    for (const origin of ['http://127.0.0.1:3000', 'http://localhost:3000', 'http://[::1]:3000']) {
      expect(isAllowedOrigin({ ...local, origin })).toBe(true)
    }
    for (const origin of ['http://localhost:3001', 'https://localhost:3000', 'http://127.0.0.2:3000', 'http://evil.example:3000']) {
      expect(isAllowedOrigin({ ...local, origin })).toBe(false)
    }
  })
})
