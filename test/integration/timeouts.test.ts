import { createServer, type Server, type Socket } from 'node:net'
import type { AddressInfo } from 'node:net'
import { HEADERS } from '@switchyard/shared/headers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Gateway, startGateway } from '../../data-plane/src/testing/gateway-fixture.ts'
import { FAKE_SCRIPTS, SLOW_HEADERS_MS } from '../fake-providers/fake-script.ts'
import { ask, expectTerminalError, type Family, logOf, publishAllProviders } from './failure-support.ts'

// Per-connection upstream timeouts (issue #3): connect, first byte, idle between stream chunks,
// total. Before any byte each ends the attempt with a 504 in the caller's format (OpenAI
// `upstream_timeout`, Anthropic `timeout_error`); once streaming, with a terminal in-band error,
// logged `incomplete`. The connections get 500 ms timeouts and the assertions only bound the
// time by the fakes' own delays.
//
// Connect: a TCP connect on loopback cannot be made to hang reliably (the kernel completes the
// handshake for any listener), so the `hang` connection is `https://` to a TCP server that
// accepts and never answers the TLS handshake — undici's connect timeout covers TCP + TLS.

const TIMEOUTS = { connectMs: 300, firstByteMs: 500, idleMs: 500 }
const CODES = { openai: 'upstream_timeout', anthropic: 'timeout_error' }

let gateway: Gateway
let silent: Server
const sockets = new Set<Socket>()

beforeAll(async () => {
  silent = createServer((socket) => {
    sockets.add(socket)
    socket.resume() // reads (and ignores) the ClientHello, so the client's close is seen
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
  const { port } = silent.address() as AddressInfo
  gateway = await startGateway()
  await publishAllProviders(gateway, 2, TIMEOUTS, [
    { id: 'prov_hang', name: 'hang', baseUrl: `https://127.0.0.1:${port}/v1`, timeouts: TIMEOUTS },
    { id: 'prov_total', name: 'total', baseUrl: gateway.fake.openaiBaseUrl, timeouts: { totalMs: 800 } },
    // Only an idle limit: the first-byte limit keeps its 60 s default, so the idle one must run on its own.
    { id: 'prov_idle', name: 'idle', baseUrl: gateway.fake.openaiBaseUrl, timeouts: { idleMs: 500 } },
  ])
})

afterAll(async () => {
  await gateway.close()
  for (const socket of sockets) socket.destroy()
  await new Promise((resolve) => silent.close(resolve))
})

async function expect504(family: Family, res: Response, startedAt: number, bound: number): Promise<void> {
  expect(res.status).toBe(504)
  expect(Date.now() - startedAt).toBeLessThan(bound)
  expect(res.headers.get(HEADERS.error)).toBe('SY_ERR_UPSTREAM_TIMEOUT')
  const body: unknown = await res.json()
  if (family === 'openai') expect(body).toMatchObject({ error: { type: 'server_error', code: 'upstream_timeout', param: null } })
  else expect(body).toEqual({ type: 'error', error: { type: 'timeout_error', message: expect.any(String) } })
  expect(await logOf(gateway, res)).toMatchObject({ status: 504, outcome: 'error', errorCode: 'SY_ERR_UPSTREAM_TIMEOUT' })
}

describe.each(['openai', 'anthropic'] as const)('connect timeout (%s client)', (family) => {
  it('504s when the connection (TCP + TLS) is not up within connectMs', async () => {
    const startedAt = Date.now()
    await expect504(family, await ask(gateway, family, 'hang/gpt-4o-mini', { stream: true }), startedAt, 2_500)
    // The half-open connection is abandoned, not left to linger.
    await expect.poll(() => sockets.size, { timeout: 1_000 }).toBe(0)
  })
})

// [client family, connection]: passthrough and translated relays alike.
const ROUTES: [Family, string][] = [
  ['openai', 'fake'],
  ['anthropic', 'anthropic'],
  ['openai', 'anthropic'],
  ['anthropic', 'fake'],
  ['openai', 'google'],
  ['anthropic', 'bedrock'],
]

describe.each(ROUTES)('%s client → %s connection', (family, connection) => {
  it('first byte: 504s when the headers do not come within firstByteMs, and abandons the upstream', async () => {
    const before = gateway.fake.requests.length
    const startedAt = Date.now()
    const res = await ask(gateway, family, `${connection}/${FAKE_SCRIPTS.slowHeaders}`, { stream: true })
    await expect504(family, res, startedAt, SLOW_HEADERS_MS - 200)
    const upstream = gateway.fake.requests[before]
    await upstream?.done
    expect(upstream?.aborted).toBe(true)
    expect(upstream?.response?.status).toBe(0)
  })

  it('idle: a stream that stalls between chunks for idleMs ends with an in-band timeout error', async () => {
    const startedAt = Date.now()
    const res = await ask(gateway, family, `${connection}/${FAKE_SCRIPTS.stallStream}`, { stream: true })
    expect(res.status).toBe(200)
    const text = await res.text()
    expect(Date.now() - startedAt).toBeLessThan(3_000)
    expect(text.split('\n\n').filter(Boolean).length).toBeGreaterThan(1)
    expectTerminalError(family, text, CODES)
    expect(await logOf(gateway, res)).toMatchObject({ status: 200, outcome: 'incomplete', errorCode: 'SY_ERR_UPSTREAM_TIMEOUT' })
  })
})

describe('total timeout', () => {
  it('ends a translated stream that runs past totalMs with an in-band timeout_error', async () => {
    const res = await ask(gateway, 'anthropic', `total/${FAKE_SCRIPTS.slowStream}`, { stream: true })
    expect(res.status).toBe(200)
    expectTerminalError('anthropic', await res.text(), CODES)
    expect(await logOf(gateway, res)).toMatchObject({ outcome: 'incomplete', errorCode: 'SY_ERR_UPSTREAM_TIMEOUT' })
  })

  it('504s a JSON request that runs past totalMs, in Anthropic format', async () => {
    const startedAt = Date.now()
    await expect504('anthropic', await ask(gateway, 'anthropic', `total/${FAKE_SCRIPTS.slowHeaders}`), startedAt, 2_500)
  })
})

describe('idle limit alone', () => {
  it('ends a stalled stream idleMs after its last chunk, whatever the first-byte limit', async () => {
    const startedAt = Date.now()
    const res = await ask(gateway, 'openai', `idle/${FAKE_SCRIPTS.stallStream}`, { stream: true })
    expect(res.status).toBe(200)
    const text = await res.text()
    expect(Date.now() - startedAt).toBeLessThan(2_000)
    expectTerminalError('openai', text, CODES)
    expect(await logOf(gateway, res)).toMatchObject({ outcome: 'incomplete', errorCode: 'SY_ERR_UPSTREAM_TIMEOUT' })
  })
})

describe('idle is measured per chunk', () => {
  // A slow stream (an event every 50 ms, 2 s in all) outlives idleMs many times over but never
  // goes idleMs without a chunk: it must complete, through passthrough and translated relays
  // (run side by side: each takes 2 s).
  it('a 2 s drip under a 500 ms idle timeout completes (openai/anthropic, both clients)', async () => {
    const routes = ROUTES.filter(([, c]) => c === 'fake' || c === 'anthropic')
    const drips = await Promise.all(
      routes.map(async ([family, connection]) => {
        const res = await ask(gateway, family, `${connection}/${FAKE_SCRIPTS.slowStream}`, { stream: true })
        return { res, text: await res.text() }
      }),
    )
    for (const { res, text } of drips) {
      expect(text).toContain('tick39')
      expect(text).not.toMatch(/upstream_timeout|timeout_error/)
      expect(await logOf(gateway, res)).toMatchObject({ outcome: 'success', errorCode: null })
    }
  })
})
