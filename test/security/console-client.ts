import { randomBytes } from 'node:crypto'
import { expect } from 'vitest'
import { awaitEmailLink, type ConsoleServer, postForm } from '../support/browser.ts'

// Plain-HTTP helpers for the console security tests: sign up, keep the session cookie, read
// pages. Forms are posted the way a browser without JavaScript posts them.

export const PASSWORD = 'correct horse battery staple'

export function uniqueEmail(label: string): string {
  return `${label}-${randomBytes(4).toString('hex')}@example.test`
}

/** `name=value` pairs of a response's Set-Cookie headers, as a Cookie header. */
export function cookiesOf(res: Response): string {
  return res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .filter((pair) => !pair.endsWith('='))
    .join('; ')
}

export interface Account {
  email: string
  cookie: string
  teamSlug: string
}

/** Signs up (a new user and team), follows the emailed link and returns the signed-in session. */
export async function signUp(server: ConsoleServer, label: string): Promise<Account> {
  const email = uniqueEmail(label)
  const res = await postForm(`${server.url}/signup`, { name: label, email, password: PASSWORD, team: `${label} team` })
  expect(res.status).toBe(200)
  const link = await awaitEmailLink(() => server.process.output(), email, '/verify-email/')
  const confirmed = await postForm(link, {})
  expect(confirmed.status).toBe(302)
  const location = confirmed.headers.get('location') ?? ''
  const teamSlug = /^\/teams\/([a-z0-9-]+)$/.exec(location)?.[1]
  if (!teamSlug) throw new Error(`signup confirmation redirected to ${location}`)
  return { email, cookie: cookiesOf(confirmed), teamSlug }
}

export async function getPage(url: string, cookie: string): Promise<{ status: number; html: string }> {
  const res = await fetch(url, { headers: { cookie }, redirect: 'manual' })
  return { status: res.status, html: await res.text() }
}
