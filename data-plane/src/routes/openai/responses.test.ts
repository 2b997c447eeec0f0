import { HEADERS } from '@switchyard/shared/headers'
import { generateVirtualKey } from '@switchyard/shared/keys'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { FAKE_ANTHROPIC_MODELS } from '../../../../test/fake-providers/anthropic.ts'
import { FAKE_OPENAI_MODELS } from '../../../../test/fake-providers/openai.ts'
import { type Gateway, PROVIDER_KEY, startGateway, waitForLogEvents } from '../../testing/gateway-fixture.ts'

let gateway: Gateway

beforeEach(async () => {
  gateway = await startGateway()
})

afterEach(async () => {
  await gateway.close()
})

function respond(body: unknown, key: string | null = gateway.key) {
  const auth: Record<string, string> = key === null ? {} : { authorization: `Bearer ${key}` }
  return fetch(`${gateway.url}/v1/responses`, { method: 'POST', headers: { 'content-type': 'application/json', ...auth }, body: JSON.stringify(body) })
}

async function upstreamBytes(): Promise<Buffer> {
  const recorded = gateway.fake.requests.at(-1)
  await recorded?.done
  return recorded?.response?.body ?? Buffer.alloc(0)
}

describe('POST /v1/responses', () => {
  it('passes JSON through byte for byte (model replaced) and logs usage', async () => {
    const res = await respond({ model: 'fake/gpt-4o-mini', input: 'Hello responses', store: false })
    expect(res.status).toBe(200)
    expect(Buffer.from(await res.arrayBuffer()).equals(await upstreamBytes())).toBe(true)
    const upstream = gateway.fake.requests.at(-1)
    expect(upstream?.path).toBe('/openai/v1/responses')
    expect(upstream?.headers.authorization).toBe(`Bearer ${PROVIDER_KEY}`)
    expect(JSON.parse(upstream?.body ?? '')).toEqual({ model: 'gpt-4o-mini', input: 'Hello responses', store: false })
    const [event] = await waitForLogEvents(gateway, 1)
    expect(event).toMatchObject({ endpoint: '/v1/responses', model: 'gpt-4o-mini', stream: false, outcome: 'success' })
    expect(event?.usage).toMatchObject({ completionTokens: 4, cachedPromptTokens: 0, reasoningTokens: 0 })
  })

  it('streams byte-identically to the upstream and reads usage from response.completed', async () => {
    const res = await respond({ model: 'fake/gpt-4o-mini', input: [{ role: 'user', content: 'Hello streamed responses' }], stream: true })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/)
    const bytes = Buffer.from(await res.arrayBuffer())
    expect(bytes.equals(await upstreamBytes())).toBe(true)
    expect(bytes.toString()).toContain('event: response.completed\n')
    expect(JSON.parse(gateway.fake.requests.at(-1)?.body ?? '')).not.toHaveProperty('stream_options')
    const [event] = await waitForLogEvents(gateway, 1)
    expect(event).toMatchObject({ stream: true, outcome: 'success', model: 'gpt-4o-mini' })
    expect(event?.usage?.completionTokens).toBe(6)
    expect(event?.ttftMs).not.toBeNull()
  })

  it('ends a stream that broke off with a terminal `event: error` and logs it incomplete', async () => {
    const res = await respond({ model: `fake/${FAKE_OPENAI_MODELS.cutStream}`, input: 'one two three four', stream: true })
    expect(res.status).toBe(200)
    const text = await res.text()
    const upstream = (await upstreamBytes()).toString()
    expect(text.startsWith(upstream)).toBe(true)
    const tail = text.slice(upstream.length)
    expect(tail).toMatch(/^event: error\ndata: /)
    expect(JSON.parse(tail.slice(tail.indexOf('data: ') + 6))).toEqual({
      type: 'error',
      code: 'upstream_stream_incomplete',
      message: expect.any(String),
      param: null,
      sequence_number: 5,
    })
    const [event] = await waitForLogEvents(gateway, 1)
    expect(event).toMatchObject({ outcome: 'incomplete', errorCode: 'SY_ERR_UPSTREAM_STREAM_INCOMPLETE' })
  })

  it('turns an error as the first stream event into an error response', async () => {
    const res = await respond({ model: `fake/${FAKE_OPENAI_MODELS.errorInStream}`, input: 'x', stream: true })
    expect(res.status).toBe(500)
    expect(await res.json()).toEqual({ error: { message: expect.any(String), type: 'server_error', param: null, code: 'server_error' } })
    const [event] = await waitForLogEvents(gateway, 1)
    expect(event).toMatchObject({ outcome: 'error', errorCode: 'SY_ERR_UPSTREAM_STATUS' })
  })

  it('relays upstream errors with their status and body', async () => {
    const res = await respond({ model: `fake/${FAKE_OPENAI_MODELS.error500}`, input: 'x', stream: true })
    expect(res.status).toBe(500)
    expect(Buffer.from(await res.arrayBuffer()).equals(await upstreamBytes())).toBe(true)
  })

  it('refuses 401 / 403 / 404', async () => {
    expect((await respond({ model: 'fake/gpt-4o-mini', input: 'x' }, null)).status).toBe(401)
    const restricted = generateVirtualKey()
    await gateway.publish({ ...gateway.defaultParts(2), keys: [{ id: 'vk_1', key: gateway.key }, { id: 'vk_2', key: restricted, allowedModels: ['anthropic/*'] }] })
    expect((await respond({ model: 'fake/gpt-4o-mini', input: 'x' }, restricted)).status).toBe(403)
    expect((await respond({ model: 'nope/gpt-4o-mini', input: 'x' })).status).toBe(404)
    expect(gateway.fake.requests).toHaveLength(0)
  })

  it('translates for an anthropic connection: a Responses object, usage logged from Anthropic', async () => {
    const res = await respond({ model: 'anthropic/claude-sonnet-4-5', input: 'Hello translated', instructions: 'Be brief.', max_output_tokens: 50 })
    expect(res.status).toBe(200)
    const body = (await res.json()) as { object: string; status: string; output: unknown[]; usage: { input_tokens: number; output_tokens: number } }
    expect(body).toMatchObject({ object: 'response', status: 'completed', output: [{ type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Hello translated' }] }] })
    expect(JSON.parse(gateway.fake.requests.at(-1)?.body ?? '')).toEqual({
      model: 'claude-sonnet-4-5',
      system: 'Be brief.',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello translated' }] }],
      max_tokens: 50,
    })
    const [event] = await waitForLogEvents(gateway, 1)
    expect(event).toMatchObject({ endpoint: '/v1/responses', provider: 'anthropic', outcome: 'success' })
    expect(event?.usage).toMatchObject({ promptTokens: body.usage.input_tokens, completionTokens: body.usage.output_tokens })
  })

  it('refuses previous_response_id for a non-openai connection with a 400 before anything goes upstream', async () => {
    const res = await respond({ model: 'anthropic/claude-sonnet-4-5', input: 'x', previous_response_id: 'resp_123' })
    expect(res.status).toBe(400)
    expect(res.headers.get(HEADERS.error)).toBe('SY_ERR_REQUEST_UNTRANSLATABLE')
    const body = (await res.json()) as { error: { message: string; param: string; code: string } }
    expect(body.error).toMatchObject({ param: 'previous_response_id', code: 'unsupported_parameter' })
    expect(body.error.message).toContain('server-side conversation state')
    expect(gateway.fake.requests).toHaveLength(0)
  })

  it('ends a translated stream that broke off with a numbered terminal `event: error`, logged incomplete', async () => {
    const res = await respond({ model: `anthropic/${FAKE_ANTHROPIC_MODELS.cutStream}`, input: 'one two three four', stream: true })
    expect(res.status).toBe(200)
    const frames = (await res.text()).split('\n\n').filter(Boolean)
    const last = frames.at(-1) ?? ''
    expect(last).toMatch(/^event: error\ndata: /)
    const data = JSON.parse(last.slice(last.indexOf('data: ') + 6)) as { sequence_number: number; code: string }
    expect(data).toMatchObject({ type: 'error', code: 'upstream_stream_incomplete', param: null, sequence_number: frames.length - 1 })
    const [event] = await waitForLogEvents(gateway, 1)
    expect(event).toMatchObject({ outcome: 'incomplete', errorCode: 'SY_ERR_UPSTREAM_STREAM_INCOMPLETE' })
  })
})
