import { createServer, type Server } from 'node:net'
import { HEADERS } from '@switchyard/shared/headers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chat, type Gateway, messages, startGateway } from '../../data-plane/src/testing/gateway-fixture.ts'

// Issue #11 item 8: a model string is echoed into `x-switchyard-model`, so one holding CR/LF or
// characters outside Latin-1 made Node refuse the response head (a 500 in Fastify's own shape,
// or a stream cut after its head) and a 1 MB model name became a 1 MB header. The model string
// is now checked at parse time (400 in the caller's format, nothing sent upstream), and every
// header derived from upstream input is encoded or dropped instead of breaking the head.

let gateway: Gateway
let rawUpstream: Server
let rawUpstreamUrl: string

const USER = [{ role: 'user', content: 'Hello' }]

// An upstream whose head holds UTF-8 in its request id and a rate-limit header (Node's own
// server refuses to write such a head, so this one writes the bytes itself).
const CHAT_BODY = JSON.stringify({
  id: 'chatcmpl-1',
  object: 'chat.completion',
  created: 1,
  model: 'gpt-4o-mini',
  choices: [{ index: 0, message: { role: 'assistant', content: 'hi' }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
})
const STREAM_BODY =
  'data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{"role":"assistant","content":"hi"},"finish_reason":null}]}\n\n' +
  'data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}\n\n' +
  'data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini","choices":[],"usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2}}\n\n' +
  'data: [DONE]\n\n'

function rawAnswer(request: string): Buffer {
  const stream = request.includes('"stream":true')
  const body = Buffer.from(stream ? STREAM_BODY : CHAT_BODY)
  const charset = request.includes('"model":"bad-charset"') ? '; charset=\u20ac' : ''
  const head =
    'HTTP/1.1 200 OK\r\n' +
    `content-type: ${stream ? 'text/event-stream' : 'application/json'}${charset}\r\n` +
    `content-length: ${body.length}\r\n` +
    'x-request-id: req-\u20ac-1\r\n' +
    'x-ratelimit-remaining-requests: \u20ac\r\n' +
    'x-ratelimit-limit-requests: 100\r\n\r\n'
  return Buffer.concat([Buffer.from(head, 'utf8'), body])
}

beforeAll(async () => {
  gateway = await startGateway()
  rawUpstream = createServer((socket) => {
    let received = ''
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1')
      const headEnd = received.indexOf('\r\n\r\n')
      const length = Number(/content-length: (\d+)/i.exec(received)?.[1] ?? 0)
      if (headEnd !== -1 && received.length >= headEnd + 4 + length) {
        socket.write(rawAnswer(received))
        received = ''
      }
    })
    socket.on('error', () => {})
  })
  await new Promise<void>((resolve) => rawUpstream.listen(0, '127.0.0.1', resolve))
  const address = rawUpstream.address()
  rawUpstreamUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/v1`
  const parts = gateway.defaultParts(2)
  parts.providers = [...(parts.providers ?? []), { id: 'prov_raw', name: 'raw', baseUrl: rawUpstreamUrl }]
  await gateway.publish(parts)
})

afterAll(async () => {
  await gateway.close()
  await new Promise((resolve) => rawUpstream.close(resolve))
})

const BAD_MODELS: [string, string][] = [
  ['CR/LF (header injection)', 'fake/gpt-4o-mini\r\nx-injected: 1'],
  ['a character outside Latin-1', 'fake/gpt-\u20ac'],
  ['a Latin-1 character outside ASCII', 'fake/gpt-\u00e9'],
  ['a space', 'fake/gpt 4o'],
  ['a NUL', 'fake/gpt\u0000'],
  ['1 MB of name', `fake/${'a'.repeat(1024 * 1024)}`],
  ['257 characters', `fake/${'a'.repeat(252)}`],
]

describe('G-SEC-17 hostile input: the model string', () => {
  it.each(BAD_MODELS)('refuses a model with %s: 400 in the OpenAI format naming `model`, nothing upstream', async (_name, model) => {
    const before = gateway.fake.requests.length
    for (const stream of [false, true]) {
      const res = await chat(gateway, { model, messages: USER, stream })
      expect(res.status).toBe(400)
      expect(res.headers.get(HEADERS.error)).toBe('SY_ERR_REQUEST_INVALID')
      expect(res.headers.get(HEADERS.model)).toBeNull()
      expect(await res.json()).toEqual({ error: { message: expect.stringContaining('printable ASCII'), type: 'invalid_request_error', param: 'model', code: 'invalid_request' } })
    }
    expect(gateway.fake.requests.length).toBe(before)
  })

  it.each(BAD_MODELS)('refuses a model with %s: 400 in the Anthropic format', async (_name, model) => {
    const res = await messages(gateway, { model: model.replace('fake/', 'anthropic/'), max_tokens: 16, messages: USER, stream: true })
    expect(res.status).toBe(400)
    expect(await res.json()).toEqual({ type: 'error', error: { type: 'invalid_request_error', message: expect.stringContaining('printable ASCII') } })
  })

  it('accepts the longest allowed model string and every printable ASCII character', async () => {
    const printable = Array.from({ length: 0x7e - 0x21 + 1 }, (_, i) => String.fromCharCode(0x21 + i))
      .join('')
      .replace(/[\\"]/g, '')
    const res = await chat(gateway, { model: `fake/${printable}`, messages: USER })
    expect(res.status).toBe(200)
    expect(res.headers.get(HEADERS.model)).toBe(printable)
    const longest = await chat(gateway, { model: `fake/${'a'.repeat(251)}`, messages: USER })
    expect(longest.status).toBe(200)
  })
})

describe('G-SEC-17 hostile input: response headers derived from upstream input', () => {
  it('encodes an upstream request id outside ASCII and drops such a rate-limit header (JSON)', async () => {
    const res = await chat(gateway, { model: 'raw/gpt-4o-mini', messages: USER })
    expect(res.status).toBe(200)
    expect(((await res.json()) as { model: string }).model).toBe('gpt-4o-mini')
    expect(res.headers.get(HEADERS.upstreamRequestId)).toBe('req-%E2%82%AC-1')
    expect(res.headers.get('x-ratelimit-remaining-requests')).toBeNull()
    expect(res.headers.get('x-ratelimit-limit-requests')).toBe('100')
  })

  it('does the same on a stream, which is relayed whole', async () => {
    const res = await chat(gateway, { model: 'raw/gpt-4o-mini', messages: USER, stream: true })
    expect(res.status).toBe(200)
    expect(res.headers.get(HEADERS.upstreamRequestId)).toBe('req-%E2%82%AC-1')
    expect(res.headers.get('x-ratelimit-remaining-requests')).toBeNull()
    const text = await res.text()
    expect(text).toContain('"content":"hi"')
    expect(text.trimEnd().endsWith('data: [DONE]')).toBe(true)
  })

  it.each([false, true])('encodes an upstream content type outside ASCII (stream: %s)', async (stream) => {
    const res = await chat(gateway, { model: 'raw/bad-charset', messages: USER, stream })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe(`${stream ? 'text/event-stream' : 'application/json'};%20charset=%E2%82%AC`)
    expect(await res.text()).toContain('"content":"hi"')
  })
})
