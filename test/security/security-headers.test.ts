import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { defaultConsoleConfig } from '../../control-plane/app/services/auth-config.server.ts'
import { createTestServices, seedTeam, type TestServices } from '../../control-plane/app/testing/fixtures.ts'
import { type ControlPlaneHttp, createControlPlaneHttp, loadRemixBuild } from '../../control-plane/server/http.ts'
import { freePort } from '../support/ports.ts'
import { testDatabaseUrl } from '../support/services.ts'
import { sendBody } from './raw-http.ts'

// Issue #11 item 7: every kind of response the control plane sends carries the same security
// headers (CSP with a per-response nonce and frame-ancestors 'none', X-Frame-Options,
// nosniff, Referrer-Policy), and HSTS only in production.

const EXPECTED = {
  'content-security-policy':
    "default-src 'self'; script-src 'self' 'nonce-<nonce>'; style-src 'self'; img-src 'self'; font-src 'self'; " +
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
}
const HSTS = 'max-age=31536000; includeSubDomains'

let services: TestServices
let dev: ControlPlaneHttp
let prod: ControlPlaneHttp
let devUrl: string
let prodUrl: string
let token: string

beforeAll(async () => {
  await promisify(execFile)(process.execPath, [join(import.meta.dirname, '../../control-plane/bin/ensure-build.mjs')], { timeout: 120_000 })
  // Each server's public origin is where it listens: the CSRF check holds form posts' Origin against it.
  const [devPort, prodPort] = [await freePort(), await freePort()]
  services = createTestServices({ config: defaultConsoleConfig({ publicUrl: `http://127.0.0.1:${devPort}` }) })
  const remixBuild = await loadRemixBuild()
  dev = createControlPlaneHttp({ services, databaseUrl: testDatabaseUrl(), remixBuild, log: () => {} })
  devUrl = await dev.listen('127.0.0.1', devPort)
  const production = { ...services, config: { ...defaultConsoleConfig({ publicUrl: `http://127.0.0.1:${prodPort}` }), production: true } }
  prod = createControlPlaneHttp({ services: production, databaseUrl: testDatabaseUrl(), remixBuild, log: () => {} })
  prodUrl = await prod.listen('127.0.0.1', prodPort)
  token = (await seedTeam(services.db)).token
}, 120_000)
afterAll(async () => {
  await dev?.close()
  await prod?.close()
  await services?.close()
})

type Headerish = { get(name: string): string | null } | Record<string, string | string[] | undefined>

function securityHeadersOf(headers: Headerish): Record<string, string | null> {
  const get = (name: string) => ('get' in headers && typeof headers.get === 'function' ? headers.get(name) : ((headers as Record<string, string>)[name] ?? null))
  const picked: Record<string, string | null> = {}
  for (const name of [...Object.keys(EXPECTED), 'strict-transport-security']) picked[name] = get(name)
  picked['content-security-policy'] = picked['content-security-policy']?.replace(/'nonce-[A-Za-z0-9+/=]+'/, "'nonce-<nonce>'") ?? null
  return picked
}

/** One request per kind of response the control plane sends: [kind, status, fetch]. */
function responseKinds(base: string): [string, number, () => Promise<{ status: number; headers: Headerish }>][] {
  const form = { 'content-type': 'application/x-www-form-urlencoded', origin: base }
  return [
    ['console page', 200, () => fetch(`${base}/login`)],
    ['redirect', 302, () => fetch(`${base}/`, { redirect: 'manual' })],
    ['unknown URL (404 page)', 404, () => fetch(`${base}/no-such-page`)],
    ['error page (405: a POST to a page without an action)', 405, () => fetch(`${base}/status`, { method: 'POST', headers: form, body: 'a=1' })],
    ['CSRF refusal', 403, () => fetch(`${base}/login`, { method: 'POST', headers: { 'content-type': form['content-type'] }, body: 'a=1' })],
    ['oversized form (413)', 413, () => sendBody(`${base}/login`, { headers: form, bytes: 100 * 1024, chunked: false })],
    ['stylesheet', 200, async () => {
      const html = await (await fetch(`${base}/login`)).text()
      return fetch(`${base}${/href="(\/assets\/[^"]+\.css)"/.exec(html)![1]!}`)
    }],
    ['admin API JSON', 200, () => fetch(`${base}/api/v1/providers`, { headers: { authorization: `Bearer ${token}` } })],
    ['admin API error JSON', 401, () => fetch(`${base}/api/v1/providers`)],
    ['health', 200, () => fetch(`${base}/healthz`)],
  ]
}

describe('security headers on every control-plane response', () => {
  it('sends the same CSP, X-Frame-Options, nosniff and Referrer-Policy on every kind of response, no HSTS outside production', async () => {
    for (const [kind, status, send] of responseKinds(devUrl)) {
      const res = await send()
      expect({ kind, status: res.status, headers: securityHeadersOf(res.headers) }).toEqual({
        kind,
        status,
        headers: { ...EXPECTED, 'strict-transport-security': null },
      })
    }
  })

  it('adds HSTS in production, on every kind of response', async () => {
    for (const [kind, status, send] of responseKinds(prodUrl)) {
      const res = await send()
      expect({ kind, status: res.status, headers: securityHeadersOf(res.headers) }).toEqual({
        kind,
        status,
        headers: { ...EXPECTED, 'strict-transport-security': HSTS },
      })
    }
  })

  it("gives every inline script the response's nonce, and a fresh nonce per response", async () => {
    const nonces: string[] = []
    for (let i = 0; i < 2; i++) {
      const res = await fetch(`${devUrl}/login`)
      const nonce = /'nonce-([A-Za-z0-9+/=]+)'/.exec(res.headers.get('content-security-policy') ?? '')![1]!
      const html = await res.text()
      const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0])
      expect(scripts.length).toBeGreaterThan(0)
      for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`)
      nonces.push(nonce)
    }
    expect(nonces[0]).not.toBe(nonces[1])
    expect(Buffer.from(nonces[0]!, 'base64')).toHaveLength(16)
  })
})
