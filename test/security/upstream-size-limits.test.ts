import { createServer, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { HEADERS } from '@switchyard/shared/headers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MAX_UPSTREAM_ERROR_BYTES, MAX_UPSTREAM_JSON_BYTES } from '../../data-plane/src/relay/json.ts'
import { chat, type Gateway, logEventFor, startGateway } from '../../data-plane/src/testing/gateway-fixture.ts'
import { MAX_SSE_EVENT_BYTES } from '../../data-plane/src/upstream/sse.ts'

// Issue #11: upstream bodies were buffered without a bound, so a broken or hostile upstream
// (a self-hosted OpenAI-compatible server, a misbehaving proxy) could grow the data plane's
// memory until it died. Whole answers, error bodies and single stream events are capped; past
// the cap the gateway stops reading, closes the upstream connection and answers a clear 502.

const MiB = 1024 * 1024
let gateway: Gateway
let upstream: Server
/** Bytes the endless upstream managed to write before the gateway hung up. */
const written: Record<string, number> = {}
/** Settles when the upstream's answer is over: finished, or the gateway hung up. */
const closed: Record<string, Promise<void>> = {}

/** Writes `piece` until the reader goes away (or `limit` bytes, as a safety net for the test itself). */
function endless(res: ServerResponse, name: string, piece: Buffer, limit: number): void {
  written[name] = 0
  closed[name] = new Promise((resolve) => res.once('close', () => resolve()))
  const pump = () => {
    while (!res.destroyed && written[name]! < limit) {
      written[name]! += piece.length
      if (!res.write(piece)) return void res.once('drain', pump)
    }
    res.end()
  }
  pump()
}

beforeAll(async () => {
  upstream = createServer((req, res) => {
    req.resume()
    const model = req.url?.split('/')[1] ?? ''
    const chunk = Buffer.alloc(MiB, 'a')
    if (model === 'json') {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.write('{"id":"x","choices":[{"message":{"content":"')
      endless(res, model, chunk, 4 * MAX_UPSTREAM_JSON_BYTES)
    } else if (model === 'error') {
      res.writeHead(500, { 'content-type': 'text/html' })
      endless(res, model, chunk, 4 * MAX_UPSTREAM_JSON_BYTES)
    } else {
      res.writeHead(200, { 'content-type': 'text/event-stream' })
      res.write('data: {"choices":[{"delta":{"content":"')
      endless(res, model, chunk, 4 * MAX_UPSTREAM_JSON_BYTES)
    }
  })
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve))
  const base = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`
  gateway = await startGateway()
  const parts = gateway.defaultParts(2)
  parts.providers = ['json', 'error', 'sse'].map((m) => ({ id: `prov_${m}`, name: m, type: 'openai-compatible' as const, baseUrl: `${base}/${m}` }))
  await gateway.publish(parts)
})

afterAll(async () => {
  await gateway.close()
  upstream.closeAllConnections()
  await new Promise((resolve) => upstream.close(resolve))
})

describe('G-SEC-17 upstream answers are size-capped', () => {
  it.each([
    ['json', false, MAX_UPSTREAM_JSON_BYTES],
    ['error', false, MAX_UPSTREAM_ERROR_BYTES],
    ['sse', true, MAX_SSE_EVENT_BYTES],
  ] as const)('%s: past the cap, a 502 upstream_response_too_large, and the upstream is hung up on', async (connection, stream, cap) => {
    const res = await chat(gateway, { model: `${connection}/m`, stream, messages: [{ role: 'user', content: 'hi' }] })
    expect(res.status).toBe(502)
    expect(res.headers.get(HEADERS.error)).toBe('SY_ERR_UPSTREAM_RESPONSE_TOO_LARGE')
    expect(await res.json()).toMatchObject({ error: { type: 'server_error', code: 'upstream_response_too_large', message: expect.stringContaining(String(cap)) } })
    // Socket buffers let a few MiB more through before the upstream notices; never the whole 4× cap.
    await closed[connection]
    expect(written[connection]).toBeGreaterThan(cap)
    expect(written[connection]).toBeLessThan(cap + 32 * MiB)
    const event = await logEventFor(gateway, res.headers.get(HEADERS.requestId))
    expect(event).toMatchObject({ status: 502, outcome: 'error', errorCode: 'SY_ERR_UPSTREAM_RESPONSE_TOO_LARGE' })
  })
})
