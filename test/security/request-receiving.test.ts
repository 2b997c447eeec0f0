import { connect, type Socket } from 'node:net'
import { HEADERS } from '@switchyard/shared/headers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FAKE_OPENAI_MODELS } from '../fake-providers/openai.ts'
import { chat, type Gateway, startGateway } from '../../data-plane/src/testing/gateway-fixture.ts'

// Issue #11 item 9: the data plane buffered up to 10 MB before checking the key, and had no
// request timeout (a body sent at 1 byte per 2 s was never cut). Now the key is checked from the
// headers before any of the body is read (a bad key is answered at once and the connection
// closed), and a request that is not received within the request timeout gets a 408 in the
// caller's format and a closed connection, while responses (streams included) are not timed.

const REQUEST_TIMEOUT_MS = 2_000
/** The timeout, plus Node's 1 s check interval, plus slack for a loaded machine. */
const CUT_WITHIN_MS = REQUEST_TIMEOUT_MS + 1_000 + 1_500

let gateway: Gateway

beforeAll(async () => {
  gateway = await startGateway({ requestTimeoutMs: REQUEST_TIMEOUT_MS })
})

afterAll(async () => {
  await gateway.close()
})

interface RawExchange {
  socket: Socket
  /** Everything the gateway sent, once it closed the connection. */
  closed: Promise<{ text: string; afterMs: number }>
}

/** A raw connection; the test gives up on it (and closes it) after GIVE_UP_MS. */
const GIVE_UP_MS = CUT_WITHIN_MS + 2_000

function open(): Promise<RawExchange> {
  const url = new URL(gateway.url)
  return new Promise((resolve, reject) => {
    const started = Date.now()
    const socket = connect(Number(url.port), url.hostname)
    let text = ''
    const closed = new Promise<{ text: string; afterMs: number }>((done) => {
      const giveUp = setTimeout(() => socket.destroy(), GIVE_UP_MS)
      socket.on('data', (chunk) => (text += chunk.toString('utf8')))
      socket.on('close', () => {
        clearTimeout(giveUp)
        done({ text, afterMs: Date.now() - started })
      })
    })
    socket.on('error', () => {})
    socket.once('connect', () => resolve({ socket, closed }))
    socket.once('error', reject)
  })
}

function head(path: string, headers: Record<string, string>): string {
  return `POST ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n${Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('')}\r\n`
}

/** Writes `bytes` one at a time, the first now and then one every `everyMs`, until the socket closes. */
function trickle(socket: Socket, bytes: string, everyMs: number): void {
  let i = 0
  socket.write(bytes[i++] ?? '')
  const timer = setInterval(() => {
    if (socket.destroyed || i >= bytes.length) return clearInterval(timer)
    socket.write(bytes[i++] ?? '')
  }, everyMs)
  socket.once('close', () => clearInterval(timer))
}

function statusOf(text: string): number {
  return Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0)
}

function jsonOf(text: string): unknown {
  return JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4))
}

const BODY = JSON.stringify({ model: 'fake/gpt-4o-mini', messages: [{ role: 'user', content: 'Hello slowly' }] })

describe('G-SEC-17 / G-SEC-04 the key is checked before the body is read', () => {
  it.each([
    ['no key', {}],
    ['a malformed key', { authorization: 'Bearer sy-not-a-key' }],
    ['an unknown well-formed key', { authorization: `Bearer sy-${'A'.repeat(38)}` }],
  ])('%s: 401 while the announced 10 MB body has not been sent, then the connection is closed', async (_name, auth) => {
    const { socket, closed } = await open()
    socket.write(head('/v1/chat/completions', { ...auth, 'content-length': String(10 * 1024 * 1024) }))
    const { text, afterMs } = await closed
    expect(statusOf(text)).toBe(401)
    expect(jsonOf(text)).toMatchObject({ error: { type: 'invalid_request_error', code: 'invalid_api_key' } })
    expect(afterMs).toBeLessThan(REQUEST_TIMEOUT_MS)
  })

  it('answers a bad key in the Anthropic format too, before the body', async () => {
    const { socket, closed } = await open()
    socket.write(head('/v1/messages', { 'x-api-key': 'sk-ant-nope', 'anthropic-version': '2023-06-01', 'content-length': '5000000' }))
    const { text } = await closed
    expect(statusOf(text)).toBe(401)
    expect(jsonOf(text)).toEqual({ type: 'error', error: { type: 'authentication_error', message: expect.any(String) } })
  })

  it('a POST to an unknown URL announcing 1 MB is answered at once, without waiting for the body', async () => {
    const { socket, closed } = await open()
    socket.write(head('/v1/unknown', { 'content-length': String(1024 * 1024) }))
    const answer = await new Promise<string>((resolve) => socket.once('data', (chunk) => resolve(chunk.toString('utf8'))))
    expect(statusOf(answer)).toBe(413)
    expect(jsonOf(answer)).toMatchObject({ error: { code: 'request_too_large' } })
    socket.destroy()
    await closed
  })

  it('a client sending a large body with a bad key still reads the 401 (fetch)', async () => {
    const res = await chat(gateway, JSON.stringify({ model: 'fake/gpt-4o-mini', messages: [{ role: 'user', content: 'x'.repeat(5_000_000) }] }), { key: 'sy-bad' })
    expect(res.status).toBe(401)
    expect(res.headers.get(HEADERS.error)).toBe('SY_ERR_AUTH_INVALID_KEY')
  })
})

describe('G-SEC-17 malformed HTTP gets a JSON error, not a bare socket answer', () => {
  it('headers over 16 KB: 431 with an OpenAI-shaped body and x-switchyard-error', async () => {
    const { socket, closed } = await open()
    socket.write(head('/v1/chat/completions', { authorization: `Bearer ${gateway.key}`, 'x-filler': 'a'.repeat(64 * 1024), 'content-length': '2' }))
    const { text } = await closed
    expect(statusOf(text)).toBe(431)
    expect(text.toLowerCase()).toContain(`${HEADERS.error}: sy_err_request_headers_too_large`)
    expect(jsonOf(text)).toEqual({ error: { message: expect.any(String), type: 'invalid_request_error', param: null, code: 'request_headers_too_large' } })
  })

  it('a request line that is not HTTP: 400 with a JSON body', async () => {
    const { socket, closed } = await open()
    socket.write('HELLO\r\n\r\n')
    const { text } = await closed
    expect(statusOf(text)).toBe(400)
    expect(jsonOf(text)).toMatchObject({ error: { type: 'invalid_request_error', code: 'invalid_request' } })
  })
})

describe('G-SEC-17 request timeouts cut slow uploads, never responses', () => {
  it('cuts a body sent at 1 byte per 2 s with a 408 in the OpenAI format, nothing upstream', async () => {
    const before = gateway.fake.requests.length
    const { socket, closed } = await open()
    socket.write(head('/v1/chat/completions', { authorization: `Bearer ${gateway.key}`, 'content-length': String(BODY.length) }))
    trickle(socket, BODY, 2_000)
    const { text, afterMs } = await closed
    expect(afterMs).toBeLessThan(CUT_WITHIN_MS)
    expect(statusOf(text)).toBe(408)
    expect(text.toLowerCase()).toContain(`${HEADERS.error}: sy_err_request_timeout`)
    expect(jsonOf(text)).toEqual({ error: { message: expect.any(String), type: 'invalid_request_error', param: null, code: 'request_timeout' } })
    expect(gateway.fake.requests.length).toBe(before)
  })

  it('answers the Anthropic route in its format', async () => {
    const { socket, closed } = await open()
    const body = JSON.stringify({ model: 'anthropic/claude-sonnet-4-5', max_tokens: 16, messages: [{ role: 'user', content: 'Hi' }] })
    socket.write(head('/v1/messages', { 'x-api-key': gateway.key, 'anthropic-version': '2023-06-01', 'content-length': String(body.length) }))
    trickle(socket, body, 2_000)
    const { text, afterMs } = await closed
    expect(afterMs).toBeLessThan(CUT_WITHIN_MS)
    expect(statusOf(text)).toBe(408)
    expect(jsonOf(text)).toEqual({ type: 'error', error: { type: 'timeout_error', message: expect.any(String) } })
  })

  it('cuts headers sent at 1 byte per 2 s', async () => {
    const { socket, closed } = await open()
    trickle(socket, head('/v1/chat/completions', { authorization: `Bearer ${gateway.key}`, 'content-length': String(BODY.length) }), 2_000)
    const { text, afterMs } = await closed
    expect(afterMs).toBeLessThan(CUT_WITHIN_MS)
    expect(statusOf(text)).toBe(408)
  })

  it('does not cut a stream that lasts longer than the request timeout', async () => {
    const started = Date.now()
    const res = await chat(gateway, { model: `fake/${FAKE_OPENAI_MODELS.slowStream}`, messages: [{ role: 'user', content: 'Hello' }], stream: true })
    expect(res.status).toBe(200)
    const text = await res.text()
    expect(Date.now() - started).toBeGreaterThan(REQUEST_TIMEOUT_MS)
    expect(text.trimEnd().endsWith('data: [DONE]')).toBe(true)
  })
})
