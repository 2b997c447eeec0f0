import { createServer, request as httpRequest, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Gateway, logEventFor, startGateway } from '../../data-plane/src/testing/gateway-fixture.ts'

// A client that reads a stream more slowly than the provider writes it: the relay stops reading
// from the provider while the client's socket is full (so nothing piles up in the gateway's
// memory, and the provider's own writes see the back-pressure), resumes when it drains, and
// delivers every byte as sent. The silence the gateway itself causes is not the provider going
// quiet: a connection with a 300 ms idle limit outlasts a client that stops reading for 1.5 s.

const EVENTS = 4_000
/** ~5 KB per event, ~20 MB in all: more than the loopback sockets on both sides can buffer. */
const FILLER = 'x'.repeat(5_000)
const IDLE_MS = 300
const CLIENT_PAUSE_MS = 1_500

function chunk(i: number, extra: Record<string, unknown> = {}): string {
  const choices = i < EVENTS ? [{ index: 0, delta: { content: `${i}:${FILLER}` }, finish_reason: null }] : []
  return `data: ${JSON.stringify({ id: 'chatcmpl-bp', object: 'chat.completion.chunk', created: 1, model: 'bp-model', choices, usage: null, ...extra })}\n\n`
}

const STREAM = [
  ...Array.from({ length: EVENTS }, (_, i) => chunk(i)),
  chunk(EVENTS, { usage: { prompt_tokens: 3, completion_tokens: EVENTS, total_tokens: EVENTS + 3 } }),
  'data: [DONE]\n\n',
].join('')

let gateway: Gateway
let upstream: Server
/** How many of the provider's writes were refused by its full socket (back-pressure reaching it). */
let refusedWrites = 0

beforeAll(async () => {
  upstream = createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'text/event-stream' })
      const bytes = Buffer.from(STREAM)
      const write = (from: number): void => {
        for (let at = from; at < bytes.length; at += 64 * 1024) {
          if (!res.write(bytes.subarray(at, at + 64 * 1024))) {
            refusedWrites++
            res.once('drain', () => write(at + 64 * 1024))
            return
          }
        }
        res.end()
      }
      write(0)
    })
  })
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve))
  const { port } = upstream.address() as AddressInfo
  gateway = await startGateway()
  const parts = gateway.defaultParts(2)
  parts.providers = [...(parts.providers ?? []), { id: 'prov_bp', name: 'bp', baseUrl: `http://127.0.0.1:${port}/v1`, timeouts: { idleMs: IDLE_MS } }]
  await gateway.publish(parts)
})

afterAll(async () => {
  await gateway.close()
  await new Promise((resolve) => upstream.close(resolve))
})

/** POSTs with node:http and stops reading for CLIENT_PAUSE_MS after the first bytes. */
function slowRead(url: string, body: string, headers: Record<string, string>): Promise<{ status: number; requestId: string; bytes: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' } }, (res) => {
      const chunks: Buffer[] = []
      let paused = false
      res.on('data', (c: Buffer) => {
        chunks.push(c)
        if (paused) return
        paused = true
        res.pause()
        setTimeout(() => res.resume(), CLIENT_PAUSE_MS)
      })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, requestId: String(res.headers['x-request-id']), bytes: Buffer.concat(chunks) }))
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end(body)
  })
}

describe('a client slower than its provider', () => {
  it('gets every byte of a 20 MB stream, with the provider held back meanwhile and no idle timeout', async () => {
    const body = JSON.stringify({ model: 'bp/bp-model', messages: [{ role: 'user', content: 'hi' }], stream: true, stream_options: { include_usage: true } })
    const res = await slowRead(`${gateway.url}/v1/chat/completions`, body, { authorization: `Bearer ${gateway.key}` })
    expect(res.status).toBe(200)
    expect(res.bytes.length).toBe(Buffer.byteLength(STREAM))
    expect(res.bytes.equals(Buffer.from(STREAM))).toBe(true)
    expect(refusedWrites).toBeGreaterThan(0)
    expect(await logEventFor(gateway, res.requestId)).toMatchObject({ outcome: 'success', usage: { completionTokens: EVENTS } })
  })
})
