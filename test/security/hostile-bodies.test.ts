import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seedTeam } from '../../control-plane/app/testing/fixtures.ts'
import { type InProcessControlPlane, startInProcessControlPlane } from './in-process-control-plane.ts'

// G-SEC-17: malformed bodies are the sender's mistake: a 4xx in the caller's format (admin API
// error JSON, a plain answer for console forms), never a 5xx, and nothing in the log. Console
// forms are urlencoded only: nothing in the console uploads files, so multipart (and its
// parser) is refused outright.

let controlPlane: InProcessControlPlane
let base: string
let token: string
const logged: string[] = []

beforeAll(async () => {
  controlPlane = await startInProcessControlPlane({ log: (m) => logged.push(m) })
  base = controlPlane.base
  token = (await seedTeam(controlPlane.services.db)).token
}, 120_000)
afterAll(() => controlPlane?.close())

const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth)

type Case = [label: string, contentType: string | null, body: string | Uint8Array]

const API_BODIES: Case[] = [
  ['invalid JSON', 'application/json', '{"name":'],
  ['wrong types', 'application/json', '{"name":5,"type":[],"apiKey":null}'],
  ['10k-deep nesting', 'application/json', nested(10_000)],
  ['400k-deep nesting', 'application/json', nested(400_000)],
  ['invalid UTF-8', 'application/json', new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d])],
  ['JSON null', 'application/json', 'null'],
  ['not JSON at all', 'text/plain', 'hello'],
  ['no content type', null, '{}'],
]

const FORM_BODIES: Case[] = [
  ['multipart with a broken part', 'multipart/form-data; boundary=xyz', '--xyz\r\nContent-Disposition: form-data; name="email"\r\n\r\nfoo'],
  ['multipart without a boundary', 'multipart/form-data', 'abc'],
  ['JSON', 'application/json', '{"email":"a@example.test","password":"x"}'],
  ['text/plain', 'text/plain;charset=UTF-8', 'email=a'],
  ['no content type', null, 'email=a'],
  ['malformed %-escapes', 'application/x-www-form-urlencoded', '%zz=%&email=%E0%A4%A&password=%'],
  ['invalid UTF-8', 'application/x-www-form-urlencoded', new Uint8Array([0x65, 0x6d, 0x61, 0x69, 0x6c, 0x3d, 0xff, 0xfe])],
]

function post(path: string, contentType: string | null, body: string | Uint8Array, headers: Record<string, string>) {
  return fetch(`${base}${path}`, {
    method: 'POST',
    headers: { ...headers, ...(contentType ? { 'content-type': contentType } : {}) },
    // A Blob, so fetch adds no content type of its own.
    body: new Blob([typeof body === 'string' ? body : new Uint8Array(body)]),
    redirect: 'manual',
  })
}

describe('G-SEC-17 hostile bodies (control plane)', () => {
  it.each(API_BODIES)('admin API, %s: a 4xx in the admin API error format', async (_label, contentType, body) => {
    const res = await post('/api/v1/providers', contentType, body, { authorization: `Bearer ${token}` })
    expect(res.status).toBeGreaterThanOrEqual(400)
    expect(res.status).toBeLessThan(500)
    const answer = (await res.json()) as { error: { code: string; message: string } }
    expect(answer.error.code).toMatch(/^[a-z_]+$/)
    expect(logged).toEqual([])
  })

  it.each(FORM_BODIES)('console form, %s: a 4xx, never a 5xx', async (_label, contentType, body) => {
    for (const path of ['/login', '/signup', '/forgot-password']) {
      const res = await post(path, contentType, body, { origin: base })
      expect({ path, status: res.status < 500 && res.status >= 400 }).toEqual({ path, status: true })
    }
    expect(logged).toEqual([])
  })

  it('answers a non-form body with 415 and says what the console accepts', async () => {
    const res = await post('/login', 'multipart/form-data; boundary=xyz', '--xyz--', { origin: base })
    expect(res.status).toBe(415)
    expect(res.headers.get('content-type')).toContain('text/plain')
    expect(await res.text()).toBe('Unsupported Media Type: console forms are sent as application/x-www-form-urlencoded.')
  })

  it('refuses a huge header (431) before any handler runs', async () => {
    const res = await fetch(`${base}/login`, { headers: { 'x-padding': 'a'.repeat(70_000) } })
    expect(res.status).toBe(431)
  })
})
