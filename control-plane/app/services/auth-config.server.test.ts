import { describe, expect, it } from 'vitest'
import { ZodError } from 'zod'
import { parseConsoleConfig } from './auth-config.server.ts'

const listen = { host: '127.0.0.1', port: 3000 }

describe('console configuration: SWITCHYARD_PUBLIC_URL', () => {
  it('is required in production, a start-up error otherwise', () => {
    expect(() => parseConsoleConfig({}, true, listen)).toThrow(ZodError)
    expect(() => parseConsoleConfig({}, true, listen)).toThrow(/SWITCHYARD_PUBLIC_URL/)
    expect(parseConsoleConfig({ SWITCHYARD_PUBLIC_URL: 'https://gw.example.com/console' }, true, listen).publicUrl).toBe('https://gw.example.com')
  })

  it('defaults to the configured host and port outside production (a wildcard bind is localhost)', () => {
    expect(parseConsoleConfig({}, false, { host: '127.0.0.1', port: 4123 }).publicUrl).toBe('http://127.0.0.1:4123')
    expect(parseConsoleConfig({}, false, { host: '0.0.0.0', port: 3000 }).publicUrl).toBe('http://localhost:3000')
    expect(parseConsoleConfig({}, false, { host: '::1', port: 3000 }).publicUrl).toBe('http://[::1]:3000')
    expect(parseConsoleConfig({ SWITCHYARD_PUBLIC_URL: 'http://console.lan:8080' }, false, listen).publicUrl).toBe('http://console.lan:8080')
  })

  it('refuses a public URL that is not http(s)', () => {
    expect(() => parseConsoleConfig({ SWITCHYARD_PUBLIC_URL: 'javascript:alert(1)' }, false, listen)).toThrow(ZodError)
  })
})
