import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import Anthropic from '@anthropic-ai/sdk'
import { HEADERS } from '@switchyard/shared/headers'
import OpenAI from 'openai'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Gateway, startGateway } from '../../data-plane/src/testing/gateway-fixture.ts'
import { ask, expectTerminalError, type Family, logOf } from './failure-support.ts'

// G-REL-13: a streamed request whose client has been sent nothing for `streamKeepAliveMs`
// (10 s in production, 200 ms here) commits to a 200 with SSE headers and gets `: keep-alive`
// comments until its first content, so a load balancer's idle timeout cannot cut a healthy
// stream during a long time to first token. Both official SDKs parse a stream that begins with
// them; the passthrough stream is the upstream's bytes after the comments. Once committed, an
// upstream failure before the first content is a terminal in-band error event in the client's
// dialect, logged `error` with status 200. The upstream here answers after UPSTREAM_DELAY_MS,
// as the model id says: `late` (a normal stream), `headers-first` (headers at once, events late),
// `late-429`, `late-error-event` (an opening in-band error) or `silent` (until the timeout).

const KEEP_ALIVE_MS = 200
const UPSTREAM_DELAY_MS = 900
const FIRST_BYTE_MS = 1_500

const OPENAI_STREAM = [
  { id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'late-model', choices: [{ index: 0, delta: { role: 'assistant', content: 'Hello late' }, finish_reason: null }] },
  { id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'late-model', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] },
  { id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'late-model', choices: [], usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 } },
]
  .map((chunk) => `data: ${JSON.stringify(chunk)}\n\n`)
  .concat('data: [DONE]\n\n')
  .join('')

const ev = (type: string, data: object) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`
const ANTHROPIC_STREAM = [
  ev('message_start', { message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'late-model', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 3, output_tokens: 1 } } }),
  ev('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
  ev('content_block_delta', { index: 0, delta: { type: 'text_delta', text: 'Hello late' } }),
  ev('content_block_stop', { index: 0 }),
  ev('message_delta', { delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 2 } }),
  ev('message_stop', {}),
].join('')

function answer(res: ServerResponse, anthropic: boolean, model: string): void {
  const sse = { 'content-type': 'text/event-stream', 'x-request-id': 'req_upstream_1', 'request-id': 'req_upstream_1' }
  if (model === 'late-429') {
    res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '1' })
    const body = anthropic ? { type: 'error', error: { type: 'rate_limit_error', message: 'Slow down' } } : { error: { message: 'Slow down', type: 'requests', param: null, code: 'rate_limit_exceeded' } }
    res.end(JSON.stringify(body))
  } else if (model === 'late-error-event') {
    res.writeHead(200, sse)
    res.end(anthropic ? ev('error', { error: { type: 'overloaded_error', message: 'Overloaded' } }) : `data: ${JSON.stringify({ error: { message: 'Overloaded', type: 'server_error', param: null, code: null } })}\n\n`)
  } else {
    if (!res.headersSent) res.writeHead(200, sse)
    res.end(anthropic ? ANTHROPIC_STREAM : OPENAI_STREAM)
  }
}

function lateProvider(): Server {
  return createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = ''
    req.on('data', (chunk: Buffer) => (body += chunk.toString()))
    req.on('end', () => {
      const model = (JSON.parse(body) as { model: string }).model
      const anthropic = req.url?.startsWith('/anthropic/') ?? false
      if (model === 'silent') return
      if (model === 'headers-first') {
        res.writeHead(200, { 'content-type': 'text/event-stream', 'x-request-id': 'req_upstream_1', 'request-id': 'req_upstream_1' })
        res.flushHeaders()
      }
      const timer = setTimeout(() => answer(res, anthropic, model), UPSTREAM_DELAY_MS)
      res.on('close', () => clearTimeout(timer))
    })
  })
}

let gateway: Gateway
let upstream: Server

beforeAll(async () => {
  upstream = lateProvider()
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve))
  const base = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`
  gateway = await startGateway({ streamKeepAliveMs: KEEP_ALIVE_MS })
  const parts = gateway.defaultParts(2)
  // Per-connection timeouts keep working under keep-alive (`silent` relies on firstByteMs).
  const timeouts = { firstByteMs: FIRST_BYTE_MS }
  parts.providers = [
    { id: 'prov_oai', name: 'late-oai', type: 'openai-compatible', baseUrl: `${base}/openai/v1`, timeouts },
    { id: 'prov_ant', name: 'late-ant', type: 'anthropic', baseUrl: `${base}/anthropic`, timeouts },
  ]
  await gateway.publish(parts)
})

afterAll(async () => {
  await gateway.close()
  upstream.closeAllConnections()
  await new Promise((resolve) => upstream.close(resolve))
})

const COMMENT = ': keep-alive\n\n'
const leadingComments = (text: string) => /^(?:: keep-alive\n\n)*/.exec(text)?.[0].length ?? 0

const CASES = [
  ['openai', 'late-oai', 'passthrough'],
  ['anthropic', 'late-ant', 'passthrough'],
  ['openai', 'late-ant', 'translated'],
  ['anthropic', 'late-oai', 'translated'],
] as const

describe.each(CASES)('G-REL-13 %s client → %s (%s)', (family: Family, connection) => {
  it.each(['late', 'headers-first'])('%s: keep-alive comments while waiting, then the stream as usual', async (model) => {
    const res = await ask(gateway, family, `${connection}/${model}`, { stream: true })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/)
    expect(res.headers.get(HEADERS.provider)).toBe(connection)
    const text = await res.text()
    const comments = text.slice(0, leadingComments(text)).split(COMMENT).length - 1
    expect(comments).toBeGreaterThanOrEqual(2)
    expect(text.slice(leadingComments(text))).toContain('Hello late')
    const event = await logOf(gateway, res)
    expect(event).toMatchObject({ status: 200, outcome: 'success', usage: { completionTokens: 2 } })
    // The time to first token is the content's, not the first comment's.
    expect(event.ttftMs).toBeGreaterThanOrEqual(UPSTREAM_DELAY_MS - 50)
  })

  it.each([
    ['late-429', 'SY_ERR_UPSTREAM_STATUS'],
    ['late-error-event', 'SY_ERR_UPSTREAM_STATUS'],
    ['silent', 'SY_ERR_UPSTREAM_TIMEOUT'],
  ])('%s: after the comments, the failure is a terminal in-band error event, logged error', async (model, code) => {
    const res = await ask(gateway, family, `${connection}/${model}`, { stream: true })
    expect(res.status).toBe(200)
    const text = await res.text()
    expect(leadingComments(text)).toBeGreaterThan(0)
    const rest = text.slice(leadingComments(text))
    expect(rest.split('\n\n').filter(Boolean)).toHaveLength(1)
    if (code === 'SY_ERR_UPSTREAM_TIMEOUT') expectTerminalError(family, rest, { openai: 'upstream_timeout', anthropic: 'timeout_error' })
    else if (family === 'openai') expect(JSON.parse(rest.replace(/^data: /, ''))).toMatchObject({ error: { message: expect.stringMatching(/Slow down|Overloaded/) } })
    else expect(rest).toMatch(/^event: error\ndata: \{"type":"error","error":\{"type":"(rate_limit_error|overloaded_error|api_error)"/)
    expect(await logOf(gateway, res)).toMatchObject({ status: 200, outcome: 'error', errorCode: code })
  })
})

describe('G-REL-13 the official SDKs read a stream that begins with keep-alive comments', () => {
  it('openai: chat.completions.create({stream: true})', async () => {
    const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: gateway.key, maxRetries: 0 })
    for (const connection of ['late-oai', 'late-ant']) {
      const stream = await client.chat.completions.create({ model: `${connection}/late`, messages: [{ role: 'user', content: 'hi' }], stream: true })
      let text = ''
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? ''
      expect(text).toBe('Hello late')
    }
  })

  it('anthropic: messages.stream().finalMessage(), and the error after the comments', async () => {
    const client = new Anthropic({ baseURL: gateway.url, apiKey: gateway.key, maxRetries: 0 })
    for (const connection of ['late-ant', 'late-oai']) {
      const message = await client.messages.stream({ model: `${connection}/late`, max_tokens: 16, messages: [{ role: 'user', content: 'hi' }] }).finalMessage()
      expect(message.content).toEqual([{ type: 'text', text: 'Hello late' }])
    }
    await expect(client.messages.stream({ model: 'late-ant/late-error-event', max_tokens: 16, messages: [{ role: 'user', content: 'hi' }] }).finalMessage()).rejects.toThrow(/Overloaded/)
  })
})
