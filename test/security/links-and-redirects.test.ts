import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateMasterKeyBase64 } from '@switchyard/shared/crypto'
import { type ConsoleServer, postForm, startConsole } from '../support/browser.ts'
import { startTs } from '../support/processes.ts'
import { PASSWORD, signUp } from './console-client.ts'
import { postFormRaw } from './raw-http.ts'

// Issue #11 items 3 and 6: emailed links and the CSRF check come from configuration, never
// from the request's Host header; a redirectTo never leaves the console's origin.

describe('links and redirects stay on the configured origin', () => {
  let server: ConsoleServer

  beforeAll(async () => {
    server = await startConsole('sec_links')
  })
  afterAll(async () => {
    await server?.stop()
  })

  it('a forgot-password request with Host: attacker.example mails a link to the configured origin only', async () => {
    const victim = await signUp(server, 'hostvictim')
    // Host and Origin both the attacker's: the old check compared the two, and built the link from Host.
    const forged = await postFormRaw(`${server.url}/forgot-password`, { email: victim.email }, { headers: { host: 'attacker.example', origin: 'http://attacker.example' } })
    expect(forged.status).toBe(403)
    // Host forged, Origin the console's own: passes CSRF, and the link still names the console.
    const proxied = await postFormRaw(`${server.url}/forgot-password`, { email: victim.email }, { headers: { host: 'attacker.example', origin: server.url } })
    expect(proxied.status).toBe(200)
    expect(server.process.output()).not.toContain('attacker.example')
    expect(server.lastEmailLink(victim.email, '/reset-password/').startsWith(`${server.url}/reset-password/`)).toBe(true)
  })

  it('login with redirectTo=/<tab>/host (a tab browsers drop) lands on the console, not on host', async () => {
    const user = await signUp(server, 'redirect')
    for (const redirectTo of ['/\t/evil.example', '/.//evil.example', '/\\evil.example']) {
      const res = await postForm(`${server.url}/login`, { email: user.email, password: PASSWORD, redirectTo })
      expect(res.status).toBe(302)
      const location = res.headers.get('location') ?? ''
      expect(new URL(location, server.url).origin, `${JSON.stringify(redirectTo)} → ${location}`).toBe(server.url)
    }
    const ok = await postForm(`${server.url}/login`, { email: user.email, password: PASSWORD, redirectTo: '/settings' })
    expect(ok.headers.get('location')).toBe('/settings')
  })

  it('refuses to start in production without SWITCHYARD_PUBLIC_URL', async () => {
    const proc = startTs('control-plane/server/main.ts', ['control-plane'], {
      NODE_ENV: 'production',
      SWITCHYARD_MASTER_KEY: generateMasterKeyBase64(),
      DATABASE_URL: 'postgres://127.0.0.1:1/never-reached',
    })
    await proc.waitFor(/SWITCHYARD_PUBLIC_URL: required when NODE_ENV=production/, 30_000)
    await proc.stop()
  })
})
