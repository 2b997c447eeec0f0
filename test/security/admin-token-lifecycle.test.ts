import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type ConsoleServer, postForm, startConsole } from '../support/browser.ts'
import { type Account, getPage, signUp } from './console-client.ts'

// Issue #11: admin tokens survived a password reset and never expired. A reset now ends every
// session (G-SEC-10) and, unless the user unticks the box, revokes their admin tokens; a token
// may carry an expiry, after which it answers 401 unauthorized.

async function createToken(server: ConsoleServer, who: Account, fields: Record<string, string> = {}): Promise<string> {
  const res = await postForm(`${server.url}/teams/${who.teamSlug}/api-tokens`, { intent: 'create', name: 'ci', role: 'owner', ...fields }, { cookie: who.cookie })
  expect(res.status).toBe(200)
  const token = /syadm-[A-Za-z0-9]{38}/.exec(await res.text())?.[0]
  if (!token) throw new Error('no token on the page')
  return token
}

const callApi = (server: ConsoleServer, token: string) => fetch(`${server.url}/api/v1/providers`, { headers: { authorization: `Bearer ${token}` } })

describe('admin tokens: revoked by a password reset, optional expiry', () => {
  let server: ConsoleServer

  beforeAll(async () => {
    server = await startConsole('sec_tokens')
  })
  afterAll(async () => {
    await server?.stop()
  })

  it('a password reset ends every session and revokes the admin tokens by default', async () => {
    const user = await signUp(server, 'tokenreset')
    const token = await createToken(server, user)
    expect((await callApi(server, token)).status).toBe(200)

    expect((await postForm(`${server.url}/forgot-password`, { email: user.email })).status).toBe(200)
    const link = server.lastEmailLink(user.email, '/reset-password/')
    // What a browser sends with the box left ticked: the hidden "off" and then "on".
    const body = new URLSearchParams([['password', 'entirely fresh passphrase'], ['confirm', 'entirely fresh passphrase'], ['revokeApiTokens', 'off'], ['revokeApiTokens', 'on']])
    const reset = await fetch(link, { method: 'POST', headers: { origin: server.url, 'content-type': 'application/x-www-form-urlencoded' }, body, redirect: 'manual' })
    expect(reset.status).toBe(302)

    const revoked = await callApi(server, token)
    expect(revoked.status).toBe(401)
    expect(((await revoked.json()) as { error: { code: string } }).error.code).toBe('unauthorized')
    const page = await getPage(`${server.url}/teams/${user.teamSlug}`, user.cookie)
    expect(page.status).toBe(302)
  })

  it('a token with an expiry works until then and answers 401 unauthorized after', async () => {
    const user = await signUp(server, 'tokenexpiry')
    const past = await postForm(`${server.url}/teams/${user.teamSlug}/api-tokens`, { intent: 'create', name: 'old', role: 'viewer', expiresOn: '2020-01-01' }, { cookie: user.cookie })
    expect(past.status).toBe(422)
    // The admin API takes a precise expiry: two seconds from now.
    const ownerToken = await createToken(server, user)
    const expiresAt = new Date(Date.now() + 2000).toISOString()
    const created = await fetch(`${server.url}/api/v1/admin-tokens`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ownerToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'short-lived', role: 'viewer', expiresAt }),
    })
    expect(created.status).toBe(201)
    const { token, expiresAt: echoed } = (await created.json()) as { token: string; expiresAt: string }
    expect(echoed).toBe(expiresAt)
    expect((await callApi(server, token)).status).toBe(200)
    await new Promise((r) => setTimeout(r, Date.parse(expiresAt) - Date.now() + 100))
    const expired = await callApi(server, token)
    expect(expired.status).toBe(401)
    expect(((await expired.json()) as { error: { code: string } }).error.code).toBe('unauthorized')
  })
})
