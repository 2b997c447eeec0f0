import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { awaitEmailLink, type ConsoleServer, postForm, startConsole } from '../support/browser.ts'

// Console issue: login throttling, CSRF on every action, and the session cookie's attributes,
// checked over plain HTTP against a running control plane.

const PASSWORD = 'correct horse battery staple'

function uniqueEmail(label: string): string {
  return `${label}-${randomBytes(4).toString('hex')}@example.test`
}

describe('console security over HTTP', () => {
  let server: ConsoleServer

  beforeAll(async () => {
    server = await startConsole('console_sec')
  })

  afterAll(async () => {
    await server?.stop()
  })

  /** Signs up and follows the emailed link (which creates the account); returns its Set-Cookie. */
  async function signUp(email: string): Promise<string> {
    const res = await postForm(`${server.url}/signup`, { name: 'Sec Tester', email, password: PASSWORD, team: 'Security' })
    expect(res.status).toBe(200)
    const confirmed = await postForm(await awaitEmailLink(() => server.process.output(), email, '/verify-email/'), {})
    expect(confirmed.status).toBe(302)
    return confirmed.headers.get('set-cookie') ?? ''
  }

  it('sets the session cookie HttpOnly, SameSite=Lax, Path=/ (plain name over http in development)', async () => {
    const cookie = await signUp(uniqueEmail('cookie'))
    expect(cookie).toMatch(/^switchyard_session=[a-z2-7]{32};/)
    expect(cookie).toContain('HttpOnly')
    expect(cookie).toContain('SameSite=Lax')
    expect(cookie).toContain('Path=/')
    expect(cookie).not.toContain('Secure')
  })

  it('refuses a POST with a foreign Origin or none with 403, and changes nothing', async () => {
    const email = uniqueEmail('csrf')
    for (const origin of ['https://evil.example', null, 'null']) {
      const res = await postForm(`${server.url}/signup`, { name: 'X', email, password: PASSWORD, team: 'X' }, { origin })
      expect(res.status).toBe(403)
    }
    // Nothing was created: logging in with those details fails.
    const login = await postForm(`${server.url}/login`, { email, password: PASSWORD })
    expect(login.status).toBe(401)
    // The logout action is protected as well, and the admin API is not behind the check.
    expect((await postForm(`${server.url}/logout`, {}, { origin: 'https://evil.example' })).status).toBe(403)
    expect((await fetch(`${server.url}/api/v1/providers`, { method: 'POST', headers: { origin: 'https://evil.example' } })).status).toBe(401)
  })

  it('throttles login per account: 429 with Retry-After after 10 attempts; success clears the count', async () => {
    const email = uniqueEmail('throttle')
    await signUp(email)
    // A successful login resets the account's counter…
    for (let i = 0; i < 9; i++) expect((await postForm(`${server.url}/login`, { email, password: 'wrong password!' })).status).toBe(401)
    expect((await postForm(`${server.url}/login`, { email, password: PASSWORD })).status).toBe(302)
    // …so ten more wrong attempts are answered, and the eleventh is refused.
    for (let i = 0; i < 10; i++) expect((await postForm(`${server.url}/login`, { email, password: 'wrong password!' })).status).toBe(401)
    const refused = await postForm(`${server.url}/login`, { email, password: PASSWORD })
    expect(refused.status).toBe(429)
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(await refused.text()).toContain('Too many attempts. Please wait')
  })

  it('redirects / to the login page when signed out, and serves the status page', async () => {
    const home = await fetch(`${server.url}/`, { redirect: 'manual' })
    expect(home.status).toBe(302)
    expect(home.headers.get('location')).toBe('/login')
    const status = await fetch(`${server.url}/status`)
    expect(status.status).toBe(200)
    expect(await status.text()).toContain('Snapshot version')
  })
})
