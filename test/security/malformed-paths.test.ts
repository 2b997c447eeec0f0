import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { seedTeam } from '../../control-plane/app/testing/fixtures.ts'
import { type InProcessControlPlane, startInProcessControlPlane } from './in-process-control-plane.ts'

// A client's broken URL is the client's problem: a 4xx in the caller's format, and no stack in
// the operator's log (a stack per request lets anyone fill it). Runs the server in-process so
// every log line (the server's log, stderr, console.error) is seen.

let controlPlane: InProcessControlPlane
let base: string
const logged: string[] = []
let stderrWrites: string[] = []

beforeAll(async () => {
  controlPlane = await startInProcessControlPlane({ log: (m) => logged.push(m) })
  base = controlPlane.base
}, 120_000)
afterAll(() => controlPlane?.close())

/** Everything written to stderr, console.warn or console.error until `restore()`. */
function captureOutput() {
  stderrWrites = []
  logged.length = 0
  const spies = [
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stderrWrites.push(String(chunk))
      return true
    }),
    vi.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => void stderrWrites.push(args.map(String).join(' '))),
  ]
  return { restore: () => spies.forEach((spy) => spy.mockRestore()) }
}

describe('malformed and unknown paths', () => {
  it('answers a malformed %-escape in an admin API path with 400 bad_request, and logs nothing', async () => {
    const team = await seedTeam(controlPlane.services.db)
    const output = captureOutput()
    try {
      for (const path of ['/api/v1/providers/%zz', '/api/v1/virtual-keys/%E0%A4%A', '/api/v1/logs/%']) {
        const res = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${team.token}` } })
        expect(res.status).toBe(400)
        const body = (await res.json()) as { error: { code: string; message: string } }
        expect(body.error.code).toBe('bad_request')
        expect(body.error.message).toBe('the request path has a malformed %-escape')
      }
    } finally {
      output.restore()
    }
    expect(logged).toEqual([])
    expect(stderrWrites).toEqual([])
  })

  it('answers an unknown console URL with the 404 page, and logs nothing', async () => {
    const output = captureOutput()
    let pages: { status: number; html: string }[]
    try {
      pages = await Promise.all(
        ['/no-such-page', '/teams/x/y/z/nothing', '/%zz', '/teams/%zz/providers', '/assets/%zz.css'].map(async (path) => {
          const res = await fetch(`${base}${path}`, { redirect: 'manual' })
          return { status: res.status, html: await res.text() }
        }),
      )
    } finally {
      output.restore()
    }
    for (const page of pages.slice(0, 2)) {
      expect(page.status).toBe(404)
      expect(page.html).toContain('There is no page at this address.')
    }
    // A malformed escape in a console URL is the client's mistake as well: a plain 400, never
    // the stack Express's default handler sends.
    for (const page of pages.slice(2)) {
      expect([page.status, page.html]).toEqual([400, 'Bad request: the URL has a malformed %-escape.'])
    }
    expect(logged).toEqual([])
    // Outside production, React Router warns "No routes matched location" (one line); never a stack.
    expect(stderrWrites.filter((line) => !line.startsWith('No routes matched location'))).toEqual([])
  })
})
