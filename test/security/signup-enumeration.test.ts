import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { awaitEmailLink, type ConsoleServer, postForm, startConsole } from '../support/browser.ts'
import { signUp, uniqueEmail } from './console-client.ts'

// Issue #11: signup said "an account with this email already exists". It now answers the same
// for a new and an existing email, after the same work; the account is created by the emailed
// link, and the existing account's owner is told someone tried to sign up.

const ATTACKER_PASSWORD = 'the attacker chose this'

async function timedSignup(server: ConsoleServer, email: string): Promise<{ status: number; body: string; ms: number }> {
  const started = performance.now()
  const res = await postForm(`${server.url}/signup`, { name: 'Eve', email, password: ATTACKER_PASSWORD, team: 'Probe' })
  const body = await res.text()
  return { status: res.status, body: body.replaceAll(email, '<email>'), ms: performance.now() - started }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

describe('signup does not reveal which emails have accounts', () => {
  let server: ConsoleServer

  beforeAll(async () => {
    server = await startConsole('sec_signup')
  })
  afterAll(async () => {
    await server?.stop()
  })

  it('answers a new and an existing email identically and in comparable time; only the link creates an account', async () => {
    const owner = await signUp(server, 'owner')
    const existing: Awaited<ReturnType<typeof timedSignup>>[] = []
    const fresh: Awaited<ReturnType<typeof timedSignup>>[] = []
    const freshEmails: string[] = []
    // Four each (the per-email signup limit is five per 15 minutes).
    for (let i = 0; i < 4; i++) {
      existing.push(await timedSignup(server, owner.email))
      const email = uniqueEmail('fresh')
      freshEmails.push(email)
      fresh.push(await timedSignup(server, email))
    }
    for (const r of [...existing, ...fresh]) {
      expect(r.status).toBe(200)
      expect(r.body).toContain('Check your inbox')
      expect(r.body).not.toContain('already exists')
    }
    // Same page, byte for byte, once the address typed is blanked out (and per-response ids and CSP nonces dropped).
    const page = (body: string) => body.replace(/"[0-9a-f-]{36}"/g, '"<id>"').replace(/nonce="[^"]+"/g, 'nonce="<nonce>"')
    expect(page(existing[0]!.body)).toBe(page(fresh[0]!.body))
    // Both paths hash the password: no fast "exists" answer.
    expect(median(existing.map((r) => r.ms))).toBeGreaterThan(median(fresh.map((r) => r.ms)) * 0.5)

    // The owner was told, with a way back in; their password is unchanged.
    expect(await awaitEmailLink(() => server.process.output(), owner.email, '/forgot-')).toMatch(/\/forgot-password$/)
    // No account exists for the new addresses until their link is used: the attacker's password opens nothing.
    for (const email of [owner.email, freshEmails[0]!]) {
      expect((await postForm(`${server.url}/login`, { email, password: ATTACKER_PASSWORD })).status).toBe(401)
    }
  })
})
