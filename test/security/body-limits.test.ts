import { request } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seedTeam } from '../../control-plane/app/testing/fixtures.ts'
import { BODY_LIMITS } from '../../control-plane/server/body-limit.ts'
import { type InProcessControlPlane, startInProcessControlPlane } from './in-process-control-plane.ts'
import { sendBody } from './raw-http.ts'

// G-SEC-17 for the control plane: every body is limited while it arrives, so no unauthenticated
// client can make the process (which in `npm start` also runs the data plane) hold a large body.
// The server runs in this process, so its RSS is ours to measure.

const MB = 1024 * 1024
/** Generous for allocator noise; reading the bodies whole grew RSS by hundreds of MB. */
const RSS_BUDGET = 16 * MB

const consoleForm = { 'content-type': 'application/x-www-form-urlencoded' }

let controlPlane: InProcessControlPlane
let base: string
const logged: string[] = []

beforeAll(async () => {
  controlPlane = await startInProcessControlPlane({ log: (m) => logged.push(m) })
  base = controlPlane.base
  // Warm up both paths, so first-request work is not counted as growth.
  await sendBody(`${base}/login`, { headers: { ...consoleForm, origin: base }, bytes: 200 * 1024, chunked: true })
  await sendBody(`${base}/api/v1/providers`, { headers: { 'content-type': 'application/json' }, bytes: 2 * MB, chunked: true })
}, 120_000)
afterAll(() => controlPlane?.close())

async function rssGrowth<T>(run: () => Promise<T>): Promise<{ result: T; growth: number }> {
  const before = process.memoryUsage().rss
  const result = await run()
  return { result, growth: process.memoryUsage().rss - before }
}

describe('G-SEC-17 request body limits (control plane)', () => {
  it('answers a declared 300 MB POST /login with 413 at once, without reading it', async () => {
    const { result, growth } = await rssGrowth(() =>
      sendBody(`${base}/login`, { headers: { ...consoleForm, origin: base }, bytes: 300 * MB, chunked: false }),
    )
    expect(result.status).toBe(413)
    expect(result.headers['content-type']).toContain('text/plain')
    expect(result.body).toBe('Payload too large: console forms accept at most 64 KB.')
    expect(growth).toBeLessThan(RSS_BUDGET)
  })

  it('stops reading a chunked console form at 64 KB: 413, RSS flat', async () => {
    const { result, growth } = await rssGrowth(() =>
      sendBody(`${base}/login`, { headers: { ...consoleForm, origin: base }, bytes: 200 * MB, chunked: true }),
    )
    expect(result.status).toBe(413)
    expect(result.sent).toBeLessThan(200 * MB)
    expect(growth).toBeLessThan(RSS_BUDGET)
  })

  it('stops reading a chunked 200 MB admin API body at 1 MB: 413 payload_too_large, RSS flat', async () => {
    const team = await seedTeam(controlPlane.services.db)
    const headers = { authorization: `Bearer ${team.token}`, 'content-type': 'application/json' }
    const { result, growth } = await rssGrowth(() => sendBody(`${base}/api/v1/providers`, { headers, bytes: 200 * MB, chunked: true }))
    expect(result.status).toBe(413)
    expect(JSON.parse(result.body)).toEqual({
      error: { code: 'payload_too_large', message: `the request body is larger than ${BODY_LIMITS.adminApi} bytes` },
    })
    expect(result.sent).toBeLessThan(200 * MB)
    expect(growth).toBeLessThan(RSS_BUDGET)
  })

  it('refuses a declared admin API body over 1 MB before authenticating or reading it', async () => {
    const result = await sendBody(`${base}/api/v1/providers`, { headers: { 'content-type': 'application/json' }, bytes: MB + 1, chunked: false })
    expect(result.status).toBe(413)
    expect((JSON.parse(result.body) as { error: { code: string } }).error.code).toBe('payload_too_large')
  })

  it('says Connection: close on a 413, so a keep-alive client does not reuse the socket', async () => {
    // Node's default agent keeps connections alive: without the header the next request of the
    // series went down the closing socket and failed with EPIPE.
    for (let i = 0; i < 6; i++) {
      const result = await sendBody(`${base}/login`, { headers: { ...consoleForm, origin: base }, bytes: 100 * 1024, chunked: i % 2 === 0 })
      expect([result.status, result.headers.connection]).toEqual([413, 'close'])
    }
  })

  it('still takes bodies up to each limit, and keeps serving after refusing one', async () => {
    const team = await seedTeam(controlPlane.services.db)
    // A JSON body of exactly 1 MB reaches the handler (which validates it: 422, not 413).
    const filler = 'x'.repeat(BODY_LIMITS.adminApi - JSON.stringify({ name: '', type: 'openai', apiKey: 'k' }).length)
    const exact = JSON.stringify({ name: filler, type: 'openai', apiKey: 'k' })
    expect(Buffer.byteLength(exact)).toBe(BODY_LIMITS.adminApi)
    const api = await fetch(`${base}/api/v1/providers`, {
      method: 'POST',
      headers: { authorization: `Bearer ${team.token}`, 'content-type': 'application/json' },
      body: exact,
    })
    expect(api.status).toBe(422)
    // A console form just under 64 KB reaches the login action (wrong password: 401).
    const form = new URLSearchParams({ email: 'nobody@example.test', password: 'p'.repeat(BODY_LIMITS.consoleForm - 100) })
    const login = await fetch(`${base}/login`, { method: 'POST', headers: { ...consoleForm, origin: base }, body: form.toString() })
    expect(login.status).not.toBe(413)
    expect(login.status).toBeLessThan(500)
    expect((await fetch(`${base}/healthz`)).status).toBe(200)
  })

  it('shrugs off a client that goes away mid-body: no answer owed, nothing logged, still serving', async () => {
    for (const path of ['/login', '/api/v1/providers']) {
      const req = request(`${base}${path}`, { method: 'POST', headers: { ...consoleForm, origin: base } })
      const closed = new Promise((resolve) => req.on('error', () => {}).on('close', resolve))
      req.write(Buffer.alloc(8 * 1024, 'a'))
      await new Promise((resolve) => setTimeout(resolve, 50))
      req.destroy()
      await closed
    }
    expect((await fetch(`${base}/healthz`)).status).toBe(200)
    expect(logged).toEqual([])
  })
})
