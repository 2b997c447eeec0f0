import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import Anthropic from '@anthropic-ai/sdk'
import { providerCredentialAad, seal } from '@switchyard/shared/crypto'
import OpenAI from 'openai'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestSnapshot, type Gateway, startGateway, waitForLogEvents } from '../../data-plane/src/testing/gateway-fixture.ts'

// Issue #11 item 5 / G-SEC-06: an upstream that echoes the credential it received (OpenAI-
// compatible servers and proxies do, in their 401 bodies and in-band stream errors) must not
// hand it to the virtual-key holder through the gateway — passthrough or translated, JSON or
// stream — nor put it in the request log event. The connections hold a canary credential with
// no recognisable shape, so only the gateway knowing its own secret can hide it.

const CANARY = 'canary-upstream-credential-Zx81q'

/** Echoes the credential header it got, in the provider's own error shapes, chosen by model. */
function echoProvider(): Server {
  return createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = ''
    req.on('data', (chunk: Buffer) => (body += chunk.toString()))
    req.on('end', () => {
      const model = (JSON.parse(body) as { model: string }).model
      if (req.url?.startsWith('/openai/')) openaiEcho(res, model, String(req.headers.authorization))
      else anthropicEcho(res, model, String(req.headers['x-api-key']))
    })
  })
}

function sse(res: ServerResponse, events: string[]): void {
  res.writeHead(200, { 'content-type': 'text/event-stream' })
  res.end(events.join(''))
}

function openaiEcho(res: ServerResponse, model: string, authorization: string): void {
  const error = { error: { message: `Incorrect API key provided: ${authorization}.`, type: 'invalid_request_error', param: null, code: 'invalid_api_key' } }
  const chunk = { id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'echo', choices: [{ index: 0, delta: { role: 'assistant', content: 'Hi' }, finish_reason: null }] }
  if (model === 'json') {
    res.writeHead(401, { 'content-type': 'application/json' })
    res.end(JSON.stringify(error))
  } else if (model === 'stream-opening') sse(res, [`data: ${JSON.stringify(error)}\n\n`])
  else sse(res, [`data: ${JSON.stringify(chunk)}\n\n`, `data: ${JSON.stringify(error)}\n\n`])
}

function anthropicEcho(res: ServerResponse, model: string, apiKey: string): void {
  const error = { type: 'error', error: { type: 'authentication_error', message: `invalid x-api-key: ${apiKey}` } }
  const events = [
    `event: message_start\ndata: ${JSON.stringify({ type: 'message_start', message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'echo', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 5, output_tokens: 1 } } })}\n\n`,
    `event: content_block_start\ndata: ${JSON.stringify({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } })}\n\n`,
    `event: content_block_delta\ndata: ${JSON.stringify({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hi' } })}\n\n`,
  ]
  if (model === 'json') {
    res.writeHead(401, { 'content-type': 'application/json' })
    res.end(JSON.stringify(error))
  } else if (model === 'stream-opening') sse(res, [`event: error\ndata: ${JSON.stringify(error)}\n\n`])
  else sse(res, [...events, `event: error\ndata: ${JSON.stringify(error)}\n\n`])
}

let gateway: Gateway
let echo: Server
let openai: OpenAI
let anthropic: Anthropic

beforeAll(async () => {
  echo = echoProvider()
  await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve))
  const base = `http://127.0.0.1:${(echo.address() as AddressInfo).port}`
  gateway = await startGateway()
  const parts = gateway.defaultParts(2)
  parts.providers = [
    { id: 'prov_echo_oai', name: 'echo-oai', type: 'openai-compatible', baseUrl: `${base}/openai/v1` },
    { id: 'prov_echo_ant', name: 'echo-ant', type: 'anthropic', baseUrl: `${base}/anthropic` },
  ]
  const snapshot = buildTestSnapshot(parts, gateway.keyring)
  snapshot.providers = snapshot.providers.map((p) => ({ ...p, credential: seal(CANARY, gateway.keyring, providerCredentialAad(p.teamId, p.id)) }))
  await gateway.infra.snapshots.publish(2, JSON.stringify(snapshot))
  while ((gateway.dataPlane.app.snapshots.runtime?.version ?? 0) < 2) await new Promise((r) => setTimeout(r, 10))
  openai = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: gateway.key, maxRetries: 0 })
  anthropic = new Anthropic({ baseURL: gateway.url, apiKey: gateway.key, maxRetries: 0 })
})

afterAll(async () => {
  await gateway.close()
  await new Promise((resolve) => echo.close(resolve))
})

/** Everything the client saw of a failure: the SDK error's message, body and headers. */
function clientView(err: unknown): string {
  const e = err as { message?: unknown; error?: unknown; headers?: unknown; status?: unknown }
  let headers = e.headers
  if (e.headers instanceof Headers) {
    const entries: Record<string, string> = {}
    e.headers.forEach((value, name) => (entries[name] = value))
    headers = entries
  }
  return JSON.stringify({ message: e.message, error: e.error, headers, status: e.status })
}

async function failure(run: () => Promise<unknown>): Promise<string> {
  try {
    await run()
  } catch (err) {
    return clientView(err)
  }
  throw new Error('the request did not fail')
}

let logged = 0
/** The log events so far contain the new request's, and none holds the canary. */
async function expectCleanLogs(): Promise<void> {
  logged += 1
  const events = await waitForLogEvents(gateway, logged)
  expect(events.length).toBeGreaterThanOrEqual(logged)
  expect(JSON.stringify(events)).not.toContain(CANARY)
}

const CONNECTIONS = [
  ['echo-oai', 'openai-compatible'],
  ['echo-ant', 'anthropic'],
] as const

describe('G-SEC-06 upstream error bodies never relay the connection credential', () => {
  describe.each(CONNECTIONS)('%s connection (%s wire)', (connection) => {
    const openaiChat = (model: string, stream: boolean) => async () => {
      const reply = await openai.chat.completions.create({ model: `${connection}/${model}`, messages: [{ role: 'user', content: 'hi' }], stream })
      if (stream) for await (const _ of reply as AsyncIterable<unknown>) void _
    }
    const anthropicMessage = (model: string, stream: boolean) => async () => {
      const params = { model: `${connection}/${model}`, max_tokens: 16, messages: [{ role: 'user' as const, content: 'hi' }] }
      if (stream) await anthropic.messages.stream(params).finalMessage()
      else await anthropic.messages.create(params)
    }

    it.each([
      ['OpenAI SDK', 'json', false],
      ['OpenAI SDK', 'stream-opening', true],
      ['OpenAI SDK', 'stream-mid', true],
    ] as const)('%s, %s', async (_sdk, model, stream) => {
      const seen = await failure(openaiChat(model, stream))
      expect(seen).not.toContain(CANARY)
      expect(seen).toContain('[REDACTED]')
      await expectCleanLogs()
    })

    it.each([
      ['Anthropic SDK', 'json', false],
      ['Anthropic SDK', 'stream-opening', true],
      ['Anthropic SDK', 'stream-mid', true],
    ] as const)('%s, %s', async (_sdk, model, stream) => {
      const seen = await failure(anthropicMessage(model, stream))
      expect(seen).not.toContain(CANARY)
      expect(seen).toContain('[REDACTED]')
      await expectCleanLogs()
    })
  })

  it('the raw bytes too: a passthrough 401 body keeps its shape with the secret replaced', async () => {
    const res = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${gateway.key}` },
      body: JSON.stringify({ model: 'echo-oai/json', messages: [{ role: 'user', content: 'hi' }] }),
    })
    expect(res.status).toBe(401)
    expect(await res.json()).toEqual({
      error: { message: 'Incorrect API key provided: Bearer [REDACTED].', type: 'invalid_request_error', param: null, code: 'invalid_api_key' },
    })
    await expectCleanLogs()
  })
})
