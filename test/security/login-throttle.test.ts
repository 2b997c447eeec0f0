import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type ConsoleServer, postForm, startConsole } from '../support/browser.ts'
import { PASSWORD, signUp } from './console-client.ts'
import { postFormRaw } from './raw-http.ts'

// Issue #11: the login lock was keyed by the account alone, so anyone could lock anyone out
// with wrong passwords. G-SEC-09: the guesser is throttled, the owner from elsewhere is not.

describe('G-SEC-09 login throttling over HTTP', () => {
  let server: ConsoleServer

  beforeAll(async () => {
    server = await startConsole('sec_throttle')
  })
  afterAll(async () => {
    await server?.stop()
  })

  it('200 wrong passwords in 60 s: ≤ 100 checked, the rest 429 with Retry-After; the owner still logs in from another source', async () => {
    const victim = await signUp(server, 'lockout')
    const started = Date.now()
    const statuses: number[] = []
    for (let i = 0; i < 200; i++) {
      const res = await postForm(`${server.url}/login`, { email: victim.email, password: `wrong password ${i}` })
      statuses.push(res.status)
      if (res.status === 429) expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0)
      await res.arrayBuffer()
    }
    expect(Date.now() - started).toBeLessThan(60_000)
    const checked = statuses.filter((s) => s === 401).length
    expect(checked).toBeLessThanOrEqual(100)
    expect(statuses.filter((s) => s === 429).length).toBe(200 - checked)
    // The guessing source stays refused, even with the right password…
    expect((await postForm(`${server.url}/login`, { email: victim.email, password: PASSWORD })).status).toBe(429)
    // …but the owner, from another loopback address (Linux routes all of 127/8 to lo), is not locked out.
    const owner = await postFormRaw(`${server.url}/login`, { email: victim.email, password: PASSWORD }, { localAddress: '127.0.0.2', headers: { origin: server.url } })
    expect(owner.status).toBe(302)
    expect(owner.location).toMatch(/^\/teams\//)
  })
})
