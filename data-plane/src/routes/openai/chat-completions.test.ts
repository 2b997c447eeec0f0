import { HEADERS } from '@switchyard/shared/headers'
import { generateVirtualKey } from '@switchyard/shared/keys'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { FAKE_OPENAI_MODELS } from '../../../../test/fake-providers/openai.ts'
import { BODY_LIMIT_BYTES } from '../../app.ts'
import { chat, type Gateway, PROVIDER_KEY, startGateway, waitForLogEvents } from '../../testing/gateway-fixture.ts'

let gateway: Gateway

beforeEach(async () => {
  gateway = await startGateway()
})

afterEach(async () => {
  await gateway.close()
})

const messages = [
  { role: 'system', content: 'Be brief.' },
  { role: 'user', content: 'Say hello to the gateway' },
]

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

function expectOpenAIError(body: unknown, code: string) {
  expect(body).toMatchObject({ error: { message: expect.any(String), type: expect.any(String), code } })
  expect(Object.keys((body as { error: object }).error).sort()).toEqual(['code', 'message', 'param', 'type'])
}

describe('POST /v1/chat/completions — JSON', () => {
  it('relays the upstream body byte for byte and logs usage', async () => {
    const res = await chat(gateway, { model: 'fake/gpt-4o-mini', messages })
    const bytes = Buffer.from(await res.arrayBuffer())
    expect(res.status).toBe(200)
    expect(bytes.equals(await upstreamBytes())).toBe(true)

    const upstream = lastUpstream()
    expect(upstream.path).toBe('/openai/v1/chat/completions')
    expect(upstream.headers.authorization).toBe(`Bearer ${PROVIDER_KEY}`)
    expect(JSON.parse(upstream.body)).toEqual({ model: 'gpt-4o-mini', messages })

    expect(res.headers.get(HEADERS.requestId)).toMatch(/^req_/)
    expect(res.headers.get(HEADERS.upstreamRequestId)).toBe(upstream.response?.headers['x-request-id'])
    expect(res.headers.get(HEADERS.provider)).toBe('fake')
    expect(res.headers.get(HEADERS.model)).toBe('gpt-4o-mini')
    expect(res.headers.get('x-ratelimit-limit-requests')).toBe('10000')
    expect(res.headers.get('server-timing')).toMatch(/gateway;dur=[\d.]+, upstream;dur=[\d.]+/)
    expect(res.headers.get(HEADERS.error)).toBeNull()

    const body = JSON.parse(bytes.toString()) as { usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number } }
    const [event] = await waitForLogEvents(gateway, 1)
    expect(event).toMatchObject({
      requestId: res.headers.get(HEADERS.requestId),
      teamId: 'team_1',
      virtualKeyId: 'vk_1',
      snapshotVersion: 1,
      endpoint: '/v1/chat/completions',
      provider: 'fake',
      model: 'gpt-4o-mini',
      stream: false,
      status: 200,
      outcome: 'success',
      errorCode: null,
      usage: {
        promptTokens: body.usage.prompt_tokens,
        completionTokens: body.usage.completion_tokens,
        totalTokens: body.usage.total_tokens,
        cachedPromptTokens: 0,
        reasoningTokens: 0,
      },
    })
    expect(event?.attempts).toHaveLength(1)
  })

  it('relays upstream 500 and 429 bodies with their status and rate-limit headers', async () => {
    const res500 = await chat(gateway, { model: `fake/${FAKE_OPENAI_MODELS.error500}`, messages })
    expect(res500.status).toBe(500)
    expect(Buffer.from(await res500.arrayBuffer()).equals(await upstreamBytes())).toBe(true)
    expect(res500.headers.get(HEADERS.error)).toBeNull()

    const res429 = await chat(gateway, { model: `fake/${FAKE_OPENAI_MODELS.error429}`, messages, stream: true })
    expect(res429.status).toBe(429)
    expect(Buffer.from(await res429.arrayBuffer()).equals(await upstreamBytes())).toBe(true)
    expect(res429.headers.get('retry-after')).toBe('2')
    expect(res429.headers.get('retry-after-ms')).toBe('1500')
    expect(res429.headers.get('x-ratelimit-remaining-requests')).toBe('0')
    expect(res429.headers.get(HEADERS.requestId)).toMatch(/^req_/)

    const events = await waitForLogEvents(gateway, 2)
    expect(events.map((e) => [e.status, e.outcome, e.errorCode])).toEqual([
      [500, 'error', 'SY_ERR_UPSTREAM_STATUS'],
      [429, 'error', 'SY_ERR_UPSTREAM_STATUS'],
    ])
  })
})

describe('POST /v1/chat/completions — streams', () => {
  it('is byte-identical to the upstream when the client asked for usage', async () => {
    const res = await chat(gateway, { model: 'fake/gpt-4o-mini', messages, stream: true, stream_options: { include_usage: true } })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/)
    const bytes = Buffer.from(await res.arrayBuffer())
    const sent = await upstreamBytes()
    expect(bytes.equals(sent)).toBe(true)
    expect(JSON.parse(lastUpstream().body).stream_options).toEqual({ include_usage: true })

    const [event] = await waitForLogEvents(gateway, 1)
    expect(event).toMatchObject({ stream: true, status: 200, outcome: 'success', model: 'gpt-4o-mini' })
    expect(event?.usage?.completionTokens).toBeGreaterThan(0)
    expect(event?.ttftMs).not.toBeNull()
  })

  it('asks upstream for usage and removes only the final usage chunk when the client did not', async () => {
    const res = await chat(gateway, { model: 'fake/gpt-4o-mini', messages, stream: true })
    const text = Buffer.from(await res.arrayBuffer()).toString()
    const sent = (await upstreamBytes()).toString()
    expect(JSON.parse(lastUpstream().body).stream_options).toEqual({ include_usage: true })

    const sentEvents = sent.split('\n\n').filter(Boolean)
    const usageEvent = sentEvents.find((e) => e.includes('"choices":[]'))
    expect(usageEvent).toBeDefined()
    expect(text).toBe(sent.replace(`${usageEvent}\n\n`, ''))
    expect(text).toContain('"usage":null')
    expect(text.endsWith('data: [DONE]\n\n')).toBe(true)

    const [event] = await waitForLogEvents(gateway, 1)
    expect(event?.outcome).toBe('success')
    expect(event?.usage?.promptTokens).toBeGreaterThan(0)
  })

  it('ends a stream cut short upstream with an in-band error event and logs it incomplete', async () => {
    const res = await chat(gateway, { model: `fake/${FAKE_OPENAI_MODELS.cutStream}`, messages, stream: true })
    expect(res.status).toBe(200)
    const text = Buffer.from(await res.arrayBuffer()).toString()
    const sent = (await upstreamBytes()).toString()
    expect(text.startsWith(sent)).toBe(true)
    const tail = text.slice(sent.length)
    expect(tail).toMatch(/^data: \{"error":/)
    expect(tail.endsWith('\n\n')).toBe(true)
    expect(JSON.parse(tail.slice('data: '.length))).toMatchObject({ error: { code: 'upstream_stream_incomplete', type: 'server_error' } })

    const [event] = await waitForLogEvents(gateway, 1)
    expect(event).toMatchObject({ outcome: 'incomplete', errorCode: 'SY_ERR_UPSTREAM_STREAM_INCOMPLETE', stream: true })
  })

  it('aborts the upstream within a second when the client disconnects', async () => {
    const controller = new AbortController()
    const res = await chat(gateway, { model: `fake/${FAKE_OPENAI_MODELS.slowStream}`, messages, stream: true }, { signal: controller.signal })
    const reader = res.body?.getReader()
    await reader?.read()
    const upstream = lastUpstream()
    controller.abort()
    const abortedAt = Date.now()
    await upstream.done
    expect(Date.now() - abortedAt).toBeLessThan(1_000)
    expect(upstream.aborted).toBe(true)

    const [event] = await waitForLogEvents(gateway, 1)
    expect(event).toMatchObject({ outcome: 'client_cancelled', stream: true })
  })
})

describe('client disconnects', () => {
  it('aborts a pending JSON request upstream and logs it client_cancelled', async () => {
    const controller = new AbortController()
    const pending = chat(gateway, { model: `fake/${FAKE_OPENAI_MODELS.slowResponse}`, messages }, { signal: controller.signal })
    await expect.poll(() => gateway.fake.requests.length).toBe(1)
    controller.abort()
    await expect(pending).rejects.toThrow()
    const abortedAt = Date.now()
    await lastUpstream().done
    expect(Date.now() - abortedAt).toBeLessThan(1_000)
    expect(lastUpstream().aborted).toBe(true)
    const [event] = await waitForLogEvents(gateway, 1)
    expect(event).toMatchObject({ outcome: 'client_cancelled', status: 499, stream: false })
  })
})

describe('POST /v1/chat/completions — refusals', () => {
  it('401s a missing, malformed or unknown key, with headers and OpenAI errors, unlogged', async () => {
    for (const key of [null, 'garbage', 'sy-' + 'a'.repeat(38), generateVirtualKey()]) {
      const res = await chat(gateway, { model: 'fake/gpt-4o-mini', messages }, { key })
      expect(res.status, String(key)).toBe(401)
      expect(res.headers.get(HEADERS.error)).toBe('SY_ERR_AUTH_INVALID_KEY')
      expect(res.headers.get(HEADERS.requestId)).toMatch(/^req_/)
      expectOpenAIError(await res.json(), 'invalid_api_key')
    }
    expect(gateway.fake.requests).toHaveLength(0)
    await new Promise((r) => setTimeout(r, 120))
    expect(await gateway.logEvents()).toHaveLength(0)
  })

  it('401s a key revoked by a newer snapshot, and an expired key', async () => {
    expect((await chat(gateway, { model: 'fake/m', messages })).status).toBe(200)
    const expired = generateVirtualKey()
    await gateway.publish({
      ...gateway.defaultParts(2),
      keys: [{ id: 'vk_2', key: expired, expiresAt: new Date(Date.now() - 1000).toISOString() }],
    })
    const revoked = await chat(gateway, { model: 'fake/m', messages })
    expect(revoked.status).toBe(401)
    const res = await chat(gateway, { model: 'fake/m', messages }, { key: expired })
    expect(res.status).toBe(401)
    expectOpenAIError(await res.json(), 'invalid_api_key')
    expect(res.headers.get(HEADERS.error)).toBe('SY_ERR_AUTH_KEY_EXPIRED')
  })

  it('403s a model the key may not use, before anything goes upstream', async () => {
    await gateway.publish({ ...gateway.defaultParts(2), keys: [{ id: 'vk_1', key: gateway.key, allowedModels: ['fake/gpt-4o', 'other/*'] }] })
    const res = await chat(gateway, { model: 'fake/gpt-4o-mini', messages })
    expect(res.status).toBe(403)
    expect(res.headers.get(HEADERS.error)).toBe('SY_ERR_MODEL_NOT_ALLOWED')
    expectOpenAIError(await res.json(), 'model_not_allowed')
    expect(gateway.fake.requests).toHaveLength(0)
    expect((await chat(gateway, { model: 'fake/gpt-4o', messages })).status).toBe(200)
    const events = await waitForLogEvents(gateway, 2)
    expect(events[0]).toMatchObject({ status: 403, outcome: 'error', errorCode: 'SY_ERR_MODEL_NOT_ALLOWED' })
  })

  it('404s an unknown connection with model_not_found', async () => {
    const res = await chat(gateway, { model: 'nope/gpt-4o', messages })
    expect(res.status).toBe(404)
    expect(await res.json()).toMatchObject({ error: { code: 'model_not_found', param: 'model' } })
    expect(res.headers.get(HEADERS.requestId)).toMatch(/^req_/)
    const [event] = await waitForLogEvents(gateway, 1)
    expect(event).toMatchObject({ status: 404, errorCode: 'SY_ERR_MODEL_NOT_FOUND', provider: null, model: 'nope/gpt-4o' })
  })

  it('400s invalid JSON and a missing model; 413s a body over the limit', async () => {
    const invalid = await chat(gateway, '{"model": ')
    expect(invalid.status).toBe(400)
    expectOpenAIError(await invalid.json(), 'invalid_json')

    const noModel = await chat(gateway, { messages })
    expect(noModel.status).toBe(400)
    expect(await noModel.json()).toMatchObject({ error: { param: 'model' } })

    const huge = await chat(gateway, { model: 'fake/m', messages: [{ role: 'user', content: 'x'.repeat(BODY_LIMIT_BYTES) }] })
    expect(huge.status).toBe(413)
    expect(huge.headers.get(HEADERS.error)).toBe('SY_ERR_REQUEST_TOO_LARGE')
    expectOpenAIError(await huge.json(), 'request_too_large')
    expect(gateway.fake.requests).toHaveLength(0)
  })

  it('serves every provider type (google through translation; none answers provider_not_supported)', async () => {
    await gateway.publish({
      ...gateway.defaultParts(2),
      providers: [{ id: 'prov_2', name: 'gemini', type: 'google', baseUrl: gateway.fake.googleBaseUrl }],
    })
    const res = await chat(gateway, { model: 'gemini/gemini-2.5-flash', messages })
    expect(res.status).toBe(200)
    expect(res.headers.get(HEADERS.provider)).toBe('gemini')
  })

  it('renders unknown routes as OpenAI errors too', async () => {
    const res = await fetch(`${gateway.url}/v1/nothing`)
    expect(res.status).toBe(404)
    expectOpenAIError(await res.json(), 'unknown_url')
  })
})

describe('upstream failures', () => {
  it('502s an unreachable upstream with a gateway error', async () => {
    await gateway.publish({ ...gateway.defaultParts(2), providers: [{ id: 'prov_1', name: 'fake', baseUrl: 'http://127.0.0.1:1/v1' }] })
    const res = await chat(gateway, { model: 'fake/m', messages })
    expect(res.status).toBe(502)
    expect(res.headers.get(HEADERS.error)).toBe('SY_ERR_UPSTREAM_UNREACHABLE')
    expect(res.headers.get(HEADERS.provider)).toBe('fake')
    const body = (await res.json()) as { error: { message: string } }
    expect(body.error.message).not.toContain(PROVIDER_KEY)
  })
})

describe('upstream timeouts', () => {
  // Header and idle timeouts use undici's coarse (1 s) timers; totalMs is exact, so it is the
  // one exercised here. All three map to SY_ERR_UPSTREAM_TIMEOUT.
  const withTotal = (totalMs: number) =>
    gateway.publish({
      ...gateway.defaultParts(2),
      providers: [{ id: 'prov_1', name: 'fake', baseUrl: gateway.fake.openaiBaseUrl, timeouts: { totalMs } }],
    })

  it('504s a request whose answer does not come in time, and the upstream is abandoned', async () => {
    await withTotal(100)
    const res = await chat(gateway, { model: `fake/${FAKE_OPENAI_MODELS.slowResponse}`, messages })
    expect(res.status).toBe(504)
    expect(res.headers.get(HEADERS.error)).toBe('SY_ERR_UPSTREAM_TIMEOUT')
    expectOpenAIError(await res.json(), 'upstream_timeout')
    await lastUpstream().done
    expect(lastUpstream().aborted).toBe(true)
    const [event] = await waitForLogEvents(gateway, 1)
    expect(event).toMatchObject({ status: 504, outcome: 'error', errorCode: 'SY_ERR_UPSTREAM_TIMEOUT' })
  })

  it('ends a stream that runs out of time with an in-band timeout error', async () => {
    await withTotal(200)
    const res = await chat(gateway, { model: `fake/${FAKE_OPENAI_MODELS.slowStream}`, messages, stream: true })
    expect(res.status).toBe(200)
    const text = Buffer.from(await res.arrayBuffer()).toString()
    expect(text).toMatch(/\n\ndata: \{"error":\{[^\n]*"code":"upstream_timeout"\}\}\n\n$/)
    const [event] = await waitForLogEvents(gateway, 1)
    expect(event).toMatchObject({ outcome: 'incomplete', errorCode: 'SY_ERR_UPSTREAM_TIMEOUT' })
  })
})

describe('SSRF policy', () => {
  it('refuses loopback upstreams unless allowed, by literal address and by name', async () => {
    await gateway.close()
    gateway = await startGateway({ env: { allowPrivateUpstreams: '' } })
    const literal = await chat(gateway, { model: 'fake/m', messages })
    expect(literal.status).toBe(502)
    expectOpenAIError(await literal.json(), 'upstream_forbidden')

    await gateway.publish({
      ...gateway.defaultParts(2),
      providers: [{ id: 'prov_1', name: 'fake', baseUrl: gateway.fake.openaiBaseUrl.replace('127.0.0.1', 'localhost') }],
    })
    const named = await chat(gateway, { model: 'fake/m', messages })
    expect(named.status).toBe(502)
    expect(named.headers.get(HEADERS.error)).toBe('SY_ERR_UPSTREAM_FORBIDDEN')
    expect(gateway.fake.requests).toHaveLength(0)
  })
})
