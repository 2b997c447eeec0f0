import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testDatabaseUrl } from '../../test/support/services.ts'
import { createTestServices, seedTeam, type TestServices } from '../app/testing/fixtures.ts'
import { type ControlPlaneHttp, createControlPlaneHttp, loadRemixBuild } from './http.ts'

let services: TestServices
let http: ControlPlaneHttp
let base: string

beforeAll(async () => {
  // The console is served from the Vite build; build it if the sources changed.
  await promisify(execFile)(process.execPath, [join(import.meta.dirname, '..', 'bin', 'ensure-build.mjs')], { timeout: 120_000 })
  services = createTestServices()
  await services.publisher.publish()
  http = createControlPlaneHttp({ services, databaseUrl: testDatabaseUrl(), remixBuild: await loadRemixBuild(), log: () => {} })
  base = await http.listen('127.0.0.1', 0)
}, 120_000)
afterAll(async () => {
  await http?.close()
  await services?.close()
})

describe('control-plane HTTP server', () => {
  it('answers health and readiness', async () => {
    const health = await fetch(`${base}/healthz`)
    expect([health.status, await health.json()]).toEqual([200, { status: 'ok' }])
    const ready = await fetch(`${base}/readyz`)
    expect([ready.status, await ready.json()]).toEqual([200, { status: 'ready' }])
  })

  it('reports not_ready when the database is unreachable', async () => {
    const down = createControlPlaneHttp({
      services,
      databaseUrl: 'postgres://postgres@127.0.0.1:1/nowhere',
      remixBuild: null,
      log: () => {},
    })
    const url = await down.listen('127.0.0.1', 0)
    try {
      const res = await fetch(`${url}/readyz`)
      expect([res.status, await res.json()]).toEqual([503, { status: 'not_ready' }])
    } finally {
      await down.close()
    }
  })

  it('serves the admin API over HTTP', async () => {
    const team = await seedTeam(services.db)
    const headers = { authorization: `Bearer ${team.token}`, 'content-type': 'application/json' }
    const created = await fetch(`${base}/api/v1/providers`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ name: 'over-http', type: 'openai-compatible', apiKey: 'sk-http-1234', baseUrl: 'http://127.0.0.1:9999/v1' }),
    })
    expect(created.status).toBe(201)
    expect(created.headers.get('content-type')).toContain('application/json')
    const list = await fetch(`${base}/api/v1/providers?limit=10`, { headers })
    expect(((await list.json()) as { data: { name: string }[] }).data.map((p) => p.name)).toEqual(['over-http'])
    const unauthorized = await fetch(`${base}/api/v1/virtual-keys`)
    expect(unauthorized.status).toBe(401)
    expect((await fetch(`${base}/api/v1/openapi.json`)).status).toBe(200)
  })

  it('sends / to the login page when signed out, and shows the snapshot version on /status', async () => {
    const version = await services.publisher.publish()
    const home = await fetch(`${base}/`, { redirect: 'manual' })
    expect(home.status).toBe(302)
    expect(home.headers.get('location')).toBe('/login')
    const res = await fetch(`${base}/status`)
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(html).toContain('Switchyard')
    expect(html).toContain('/api/v1/openapi.json')
    expect(html).toMatch(new RegExp(`>${version}<`))
  })
})
