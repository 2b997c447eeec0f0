import { generateVirtualKey } from '@switchyard/shared/keys'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type Gateway, PROVIDER_KEY, startGateway, waitForLogEvents } from '../../testing/gateway-fixture.ts'
import { IMAGE_TOKENS, MESSAGE_OVERHEAD_TOKENS, estimateInputTokens } from './token-estimate.ts'

let gateway: Gateway

beforeEach(async () => {
  gateway = await startGateway()
})

afterEach(async () => {
  await gateway.close()
})

function count(body: unknown, key: string | null = gateway.key) {
  const auth: Record<string, string> = key === null ? {} : { 'x-api-key': key }
  return fetch(`${gateway.url}/v1/messages/count_tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01', 'anthropic-beta': 'token-counting-2024-11-01', ...auth },
    body: JSON.stringify(body),
  })
}

const messages = [{ role: 'user', content: 'Count these words please' }]

describe('POST /v1/messages/count_tokens', () => {
  it('relays the exact count of an anthropic connection (model replaced, version and beta forwarded)', async () => {
    const res = await count({ model: 'anthropic/claude-sonnet-4-5', messages, system: 'Be brief.' })
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ input_tokens: 9 })
    expect(res.headers.get('x-switchyard-token-count')).toBeNull()
    const upstream = gateway.fake.requests.at(-1)
    expect(upstream?.path).toBe('/anthropic/v1/messages/count_tokens')
    expect(upstream?.headers['x-api-key']).toBe(PROVIDER_KEY)
    expect(upstream?.headers['anthropic-beta']).toBe('token-counting-2024-11-01')
    expect(JSON.parse(upstream?.body ?? '')).toEqual({ model: 'claude-sonnet-4-5', messages, system: 'Be brief.' })
    const [event] = await waitForLogEvents(gateway, 1)
    expect(event).toMatchObject({ endpoint: '/v1/messages/count_tokens', provider: 'anthropic', outcome: 'success', usage: null })
  })

  it('estimates for an openai connection with the bundled tokenizer, flagged, without calling upstream', async () => {
    const res = await count({ model: 'fake/gpt-4o-mini', messages })
    expect(res.status).toBe(200)
    expect(res.headers.get('x-switchyard-token-count')).toBe('estimate')
    const body = (await res.json()) as { input_tokens: number; estimate: boolean }
    expect(body).toEqual({ input_tokens: await estimateInputTokens({ messages }), estimate: true })
    expect(body.input_tokens).toBeGreaterThan(MESSAGE_OVERHEAD_TOKENS)
    expect(gateway.fake.requests).toHaveLength(0)
    const [event] = await waitForLogEvents(gateway, 1)
    expect(event).toMatchObject({ endpoint: '/v1/messages/count_tokens', provider: 'fake', status: 200, outcome: 'success', usage: null })
  })

  it('relays an upstream error and refuses 401 / 403 / 404 in Anthropic format', async () => {
    const failed = await count({ model: 'anthropic/error-429', messages })
    expect(failed.status).toBe(429)
    expect(await failed.json()).toMatchObject({ type: 'error', error: { type: 'rate_limit_error' } })
    const unauthenticated = await count({ model: 'anthropic/claude-sonnet-4-5', messages }, null)
    expect(unauthenticated.status).toBe(401)
    expect(await unauthenticated.json()).toMatchObject({ type: 'error', error: { type: 'authentication_error' } })
    const restricted = generateVirtualKey()
    await gateway.publish({ ...gateway.defaultParts(2), keys: [{ id: 'vk_1', key: gateway.key }, { id: 'vk_2', key: restricted, allowedModels: ['fake/*'] }] })
    const forbidden = await count({ model: 'anthropic/claude-sonnet-4-5', messages }, restricted)
    expect(forbidden.status).toBe(403)
    expect(await forbidden.json()).toMatchObject({ type: 'error', error: { type: 'permission_error' } })
    const missing = await count({ model: 'nope/claude', messages })
    expect(missing.status).toBe(404)
    expect(await missing.json()).toMatchObject({ type: 'error', error: { type: 'not_found_error' } })
  })
})

describe('estimateInputTokens', () => {
  it('counts system, text, tool inputs, tool results and tool definitions; images at a flat rate', async () => {
    const base = await estimateInputTokens({ messages })
    const image = { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'A'.repeat(10_000) } }
    expect(await estimateInputTokens({ messages: [{ role: 'user', content: [{ type: 'text', text: 'Count these words please' }, image] }] })).toBe(base + IMAGE_TOKENS)
    expect(await estimateInputTokens({ messages, system: 'A much longer system prompt here' })).toBeGreaterThan(base)
    expect(await estimateInputTokens({ messages, tools: [{ name: 'lookup', input_schema: { type: 'object' } }] })).toBeGreaterThan(base)
  })
})
