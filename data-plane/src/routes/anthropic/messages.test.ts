import { HEADERS } from '@switchyard/shared/headers'
import { generateVirtualKey } from '@switchyard/shared/keys'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { FAKE_ANTHROPIC_MODELS } from '../../../../test/fake-providers/anthropic.ts'
import { BODY_LIMIT_BYTES } from '../../app.ts'
import { chat, type Gateway, messages, PROVIDER_KEY, startGateway, waitForLogEvents } from '../../testing/gateway-fixture.ts'

let gateway: Gateway

beforeEach(async () => {
  gateway = await startGateway()
})

afterEach(async () => {
  await gateway.close()
})

const request = { max_tokens: 64, system: 'Be brief.', messages: [{ role: 'user', content: 'Say hello to the gateway' }] }

function lastUpstream() {
  const recorded = gateway.fake.requests.at(-1)
  if (!recorded) throw new Error('the fake provider received nothing')
  return recorded
}

async function upstreamBytes(): Promise<Buffer> {
  const recorded = lastUpstream()
  await recorded.done
  return recorded.response?.body ?? Buffer.alloc(0)
}

function expectAnthropicError(body: unknown, type: string) {
  expect(body).toEqual({ type: 'error', error: { type, message: expect.any(String) } })
}

describe('POST /v1/messages — JSON', () => {
  it('relays the upstream body byte for byte with its headers, and logs usage', async () => {
    const res = await messages(gateway, { model: 'anthropic/claude-sonnet-4-5', ...request }, { headers: { 'anthropic-beta': 'tools-2024-04-04' } })
    const bytes = Buffer.from(await res.arrayBuffer())
    expect(res.status).toBe(200)
    expect(bytes.equals(await upstreamBytes())).toBe(true)

    const upstream = lastUpstream()
    expect(upstream.path).toBe('/anthropic/v1/messages')
    expect(upstream.headers['x-api-key']).toBe(PROVIDER_KEY)
    expect(upstream.headers.authorization).toBeUndefined()
    expect(upstream.headers['anthropic-version']).toBe('2023-06-01')
    expect(upstream.headers['anthropic-beta']).toBe('tools-2024-04-04')
    expect(upstream.body).toBe(JSON.stringify({ model: 'claude-sonnet-4-5', ...request }))

    expect(res.headers.get(HEADERS.requestId)).toMatch(/^req_/)
    expect(res.headers.get(HEADERS.upstreamRequestId)).toBe(upstream.response?.headers['request-id'])
    expect(res.headers.get(HEADERS.provider)).toBe('anthropic')
    expect(res.headers.get(HEADERS.model)).toBe('claude-sonnet-4-5')
    expect(res.headers.get('anthropic-ratelimit-requests-limit')).toBe('4000')
    expect(res.headers.get('server-timing')).toMatch(/gateway;dur=[\d.]+, upstream;dur=[\d.]+/)
    expect(res.headers.get(HEADERS.error)).toBeNull()

    const { usage } = JSON.parse(bytes.toString()) as { usage: { input_tokens: number; output_tokens: number } }
    const [event] = await waitForLogEvents(gateway, 1)
    expect(event).toMatchObject({
      endpoint: '/v1/messages',
      provider: 'anthropic',
      model: 'claude-sonnet-4-5',
      stream: false,
      status: 200,
      outcome: 'success',
      errorCode: null,
      usage: {
        promptTokens: usage.input_tokens,
        completionTokens: usage.output_tokens,
        totalTokens: usage.input_tokens + usage.output_tokens,
        cachedPromptTokens: 0,
        reasoningTokens: null,
      },
    })
  })

  it('accepts Authorization: Bearer and sends the default anthropic-version when the client sent none', async () => {
    const res = await fetch(`${gateway.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${gateway.key}` },
      body: JSON.stringify({ model: 'anthropic/claude-haiku-4-5', ...request }),
    })
    expect(res.status).toBe(200)
    expect(lastUpstream().headers['anthropic-version']).toBe('2023-06-01')
  })

  it('relays upstream 500, 429 and 529 errors with their status and back-off headers', async () => {
    for (const [model, status] of [[FAKE_ANTHROPIC_MODELS.error500, 500], [FAKE_ANTHROPIC_MODELS.error429, 429], [FAKE_ANTHROPIC_MODELS.overloaded, 529]] as const) {
      const res = await messages(gateway, { model: `anthropic/${model}`, ...request, stream: true })
      expect(res.status, model).toBe(status)
      expect(Buffer.from(await res.arrayBuffer()).equals(await upstreamBytes())).toBe(true)
      expect(res.headers.get(HEADERS.error)).toBeNull()
      if (status === 429) {
        expect(res.headers.get('retry-after')).toBe('2')
        expect(res.headers.get('anthropic-ratelimit-requests-remaining')).toBe('0')
      }
    }
    const events = await waitForLogEvents(gateway, 3)
    expect(events.map((e) => [e.status, e.outcome, e.errorCode])).toEqual([
      [500, 'error', 'SY_ERR_UPSTREAM_STATUS'],
      [429, 'error', 'SY_ERR_UPSTREAM_STATUS'],
      [529, 'error', 'SY_ERR_UPSTREAM_STATUS'],
    ])
  })
})

describe('POST /v1/messages — streams', () => {
  it('is byte-identical to the upstream and logs the merged usage', async () => {
    const res = await messages(gateway, { model: 'anthropic/claude-sonnet-4-5', ...request, stream: true })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/)
    const bytes = Buffer.from(await res.arrayBuffer())
    expect(bytes.equals(await upstreamBytes())).toBe(true)
    expect(bytes.toString()).toMatch(/^event: message_start\n/)
    expect(bytes.toString().endsWith('event: message_stop\ndata: {"type":"message_stop"}\n\n')).toBe(true)

    const [event] = await waitForLogEvents(gateway, 1)
    expect(event).toMatchObject({ stream: true, status: 200, outcome: 'success', model: 'claude-sonnet-4-5' })
    expect(event?.usage?.promptTokens).toBeGreaterThan(0)
    expect(event?.usage?.completionTokens).toBeGreaterThan(1)
    expect(event?.ttftMs).not.toBeNull()
  })

  it('answers a stream whose first event is an overloaded_error as a 529 Anthropic error', async () => {
    const res = await messages(gateway, { model: `anthropic/${FAKE_ANTHROPIC_MODELS.overloadedInStream}`, ...request, stream: true })
    expect(res.status).toBe(529)
    expect(res.headers.get('content-type')).toMatch(/^application\/json/)
    expectAnthropicError(await res.json(), 'overloaded_error')
    expect(lastUpstream().response?.status).toBe(200)
    expect(res.headers.get(HEADERS.upstreamRequestId)).toBe(lastUpstream().response?.headers['request-id'])
    const [event] = await waitForLogEvents(gateway, 1)
    expect(event).toMatchObject({ status: 529, outcome: 'error', errorCode: 'SY_ERR_UPSTREAM_STATUS', stream: true })
  })

  it('ends a stream cut short upstream with an in-band Anthropic error event and logs it incomplete', async () => {
    const res = await messages(gateway, { model: `anthropic/${FAKE_ANTHROPIC_MODELS.cutStream}`, ...request, stream: true })
    expect(res.status).toBe(200)
    const text = Buffer.from(await res.arrayBuffer()).toString()
    const sent = (await upstreamBytes()).toString()
    expect(text.startsWith(sent)).toBe(true)
    const tail = text.slice(sent.length)
    expect(tail).toMatch(/^event: error\ndata: \{[^\n]*\}\n\n$/)
    expectAnthropicError(JSON.parse(tail.slice('event: error\ndata: '.length)), 'api_error')

    const [event] = await waitForLogEvents(gateway, 1)
    expect(event).toMatchObject({ outcome: 'incomplete', errorCode: 'SY_ERR_UPSTREAM_STREAM_INCOMPLETE', stream: true })
    expect(event?.usage?.promptTokens).toBeGreaterThan(0)
  })

  it('ends a stream that runs out of time with an in-band timeout_error', async () => {
    const parts = gateway.defaultParts(2)
    await gateway.publish({ ...parts, providers: [{ id: 'prov_2', name: 'anthropic', type: 'anthropic', baseUrl: gateway.fake.anthropicBaseUrl, timeouts: { totalMs: 200 } }] })
    const res = await messages(gateway, { model: `anthropic/${FAKE_ANTHROPIC_MODELS.slowStream}`, ...request, stream: true })
    expect(res.status).toBe(200)
    const text = Buffer.from(await res.arrayBuffer()).toString()
    expect(text).toMatch(/\n\nevent: error\ndata: \{"type":"error","error":\{"type":"timeout_error","message":"[^"]+"\}\}\n\n$/)
    const [event] = await waitForLogEvents(gateway, 1)
    expect(event).toMatchObject({ outcome: 'incomplete', errorCode: 'SY_ERR_UPSTREAM_TIMEOUT' })
  })
})

describe('POST /v1/messages — refusals in Anthropic shape', () => {
  it('401s a missing, malformed or unknown key as authentication_error, unlogged', async () => {
    for (const key of [null, 'garbage', generateVirtualKey()]) {
      const res = await messages(gateway, { model: 'anthropic/claude-x', ...request }, { key })
      expect(res.status, String(key)).toBe(401)
      expect(res.headers.get(HEADERS.error)).toBe('SY_ERR_AUTH_INVALID_KEY')
      expect(res.headers.get(HEADERS.requestId)).toMatch(/^req_/)
      expectAnthropicError(await res.json(), 'authentication_error')
    }
    expect(gateway.fake.requests).toHaveLength(0)
    await new Promise((r) => setTimeout(r, 120))
    expect(await gateway.logEvents()).toHaveLength(0)
  })

  it('403s a model the key may not use and 404s an unknown connection', async () => {
    await gateway.publish({ ...gateway.defaultParts(2), keys: [{ id: 'vk_1', key: gateway.key, allowedModels: ['anthropic/claude-a', 'nope/*'] }] })
    const forbidden = await messages(gateway, { model: 'anthropic/claude-b', ...request })
    expect(forbidden.status).toBe(403)
    expect(forbidden.headers.get(HEADERS.error)).toBe('SY_ERR_MODEL_NOT_ALLOWED')
    expectAnthropicError(await forbidden.json(), 'permission_error')

    const unknown = await messages(gateway, { model: 'nope/claude-a', ...request })
    expect(unknown.status).toBe(404)
    expect(unknown.headers.get(HEADERS.error)).toBe('SY_ERR_MODEL_NOT_FOUND')
    expectAnthropicError(await unknown.json(), 'not_found_error')
    expect(gateway.fake.requests).toHaveLength(0)
    const events = await waitForLogEvents(gateway, 2)
    expect(events.map((e) => [e.endpoint, e.status, e.errorCode])).toEqual([
      ['/v1/messages', 403, 'SY_ERR_MODEL_NOT_ALLOWED'],
      ['/v1/messages', 404, 'SY_ERR_MODEL_NOT_FOUND'],
    ])
  })

  it("400s invalid JSON and a missing model; 413s a body over the limit; Fastify's own 415 and 404 too", async () => {
    const invalid = await messages(gateway, '{"model": ')
    expect(invalid.status).toBe(400)
    expect(invalid.headers.get(HEADERS.error)).toBe('SY_ERR_REQUEST_INVALID_JSON')
    expectAnthropicError(await invalid.json(), 'invalid_request_error')

    const noModel = await messages(gateway, request)
    expect(noModel.status).toBe(400)
    expectAnthropicError(await noModel.json(), 'invalid_request_error')

    const huge = await messages(gateway, { model: 'anthropic/claude-x', ...request, system: 'x'.repeat(BODY_LIMIT_BYTES) })
    expect(huge.status).toBe(413)
    expect(huge.headers.get(HEADERS.error)).toBe('SY_ERR_REQUEST_TOO_LARGE')
    expectAnthropicError(await huge.json(), 'invalid_request_error')

    const text = await messages(gateway, '<hello/>', { headers: { 'content-type': 'application/xml' } })
    expect(text.status).toBe(415)
    expectAnthropicError(await text.json(), 'invalid_request_error')

    const batches = await fetch(`${gateway.url}/v1/messages/batches`, { method: 'POST', headers: { 'x-api-key': gateway.key } })
    expect(batches.status).toBe(404)
    expect(batches.headers.get(HEADERS.error)).toBe('SY_ERR_ROUTE_NOT_FOUND')
    expectAnthropicError(await batches.json(), 'not_found_error')
    expect(gateway.fake.requests).toHaveLength(0)
  })
})

describe('across API families: translated, refusals in the caller family shape', () => {
  it('translates an Anthropic request to an OpenAI connection and answers in Anthropic shape', async () => {
    const res = await messages(gateway, { model: 'fake/gpt-4o-mini', ...request })
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ type: 'message', role: 'assistant', content: [{ type: 'text', text: 'Say hello to the gateway' }], stop_reason: 'end_turn' })
    expect(JSON.parse(lastUpstream().body)).toMatchObject({ model: 'gpt-4o-mini', max_completion_tokens: 64, messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user' }] })
    expect(res.headers.get(HEADERS.degraded)).toBeNull()
  })

  it('400s what cannot be translated, before anything goes upstream, in each family', async () => {
    const webSearch = { type: 'web_search_20250305', name: 'web_search' }
    const res = await messages(gateway, { model: 'fake/gpt-4o-mini', ...request, tools: [webSearch] })
    expect(res.status).toBe(400)
    expect(res.headers.get(HEADERS.error)).toBe('SY_ERR_REQUEST_UNTRANSLATABLE')
    const body = (await res.json()) as { error: { message: string } }
    expectAnthropicError(body, 'invalid_request_error')
    expect(body.error.message).toContain('web_search_20250305')

    const openai = await chat(gateway, { model: 'anthropic/claude-x', messages: request.messages, n: 2 })
    expect(openai.status).toBe(400)
    const error = (await openai.json()) as { error: { message: string; code: string; param: string } }
    expect(error.error).toMatchObject({ code: 'unsupported_parameter', param: 'n', type: 'invalid_request_error' })
    expect(gateway.fake.requests).toHaveLength(0)
  })
})

describe('the fake Anthropic provider', () => {
  it('refuses what Anthropic refuses: no x-api-key, no anthropic-version, no max_tokens', async () => {
    const send = (headers: Record<string, string>, body: object) =>
      fetch(`${gateway.fake.anthropicBaseUrl}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) })
    const noKey = await send({ 'anthropic-version': '2023-06-01' }, { model: 'm', ...request })
    expect(noKey.status).toBe(401)
    expect(await noKey.json()).toMatchObject({ type: 'error', error: { type: 'authentication_error' }, request_id: noKey.headers.get('request-id') })
    const noVersion = await send({ 'x-api-key': 'k' }, { model: 'm', ...request })
    expect(noVersion.status).toBe(400)
    const noMaxTokens = await send({ 'x-api-key': 'k', 'anthropic-version': '2023-06-01' }, { model: 'm', messages: request.messages })
    expect(noMaxTokens.status).toBe(400)
    expect(await noMaxTokens.json()).toMatchObject({ error: { type: 'invalid_request_error', message: 'max_tokens: Field required' } })
  })
})
