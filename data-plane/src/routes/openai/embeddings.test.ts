import { HEADERS } from '@switchyard/shared/headers'
import { generateVirtualKey } from '@switchyard/shared/keys'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { FAKE_OPENAI_MODELS } from '../../../../test/fake-providers/openai.ts'
import { type Gateway, PROVIDER_KEY, startGateway, waitForLogEvents } from '../../testing/gateway-fixture.ts'

let gateway: Gateway

beforeEach(async () => {
  gateway = await startGateway()
})

afterEach(async () => {
  await gateway.close()
})

function embed(body: unknown, key: string | null = gateway.key) {
  const auth: Record<string, string> = key === null ? {} : { authorization: `Bearer ${key}` }
  return fetch(`${gateway.url}/v1/embeddings`, { method: 'POST', headers: { 'content-type': 'application/json', ...auth }, body: JSON.stringify(body) })
}

describe('POST /v1/embeddings', () => {
  it('passes the body through with the model replaced, relays the answer byte for byte and logs usage', async () => {
    const res = await embed({ model: 'fake/text-embedding-3-small', input: ['hello', 'world'], dimensions: 4 })
    const bytes = Buffer.from(await res.arrayBuffer())
    expect(res.status).toBe(200)
    const upstream = gateway.fake.requests.at(-1)
    await upstream?.done
    expect(upstream?.path).toBe('/openai/v1/embeddings')
    expect(upstream?.headers.authorization).toBe(`Bearer ${PROVIDER_KEY}`)
    expect(JSON.parse(upstream?.body ?? '')).toEqual({ model: 'text-embedding-3-small', input: ['hello', 'world'], dimensions: 4 })
    expect(bytes.equals(upstream?.response?.body ?? Buffer.alloc(0))).toBe(true)
    expect(res.headers.get(HEADERS.provider)).toBe('fake')
    const [event] = await waitForLogEvents(gateway, 1)
    expect(event).toMatchObject({ endpoint: '/v1/embeddings', provider: 'fake', model: 'text-embedding-3-small', status: 200, outcome: 'success' })
    expect(event?.usage).toMatchObject({ promptTokens: 4, totalTokens: 4, completionTokens: null })
  })

  it('refuses a missing key (401), a model outside allowedModels (403) and an unknown connection (404)', async () => {
    expect((await embed({ model: 'fake/e', input: 'x' }, null)).status).toBe(401)
    const restricted = generateVirtualKey()
    await gateway.publish({ ...gateway.defaultParts(2), keys: [{ id: 'vk_1', key: gateway.key }, { id: 'vk_2', key: restricted, allowedModels: ['fake/gpt-4o-mini'] }] })
    const forbidden = await embed({ model: 'fake/text-embedding-3-small', input: 'x' }, restricted)
    expect(forbidden.status).toBe(403)
    expect(await forbidden.json()).toMatchObject({ error: { code: 'model_not_allowed', param: 'model' } })
    const missing = await embed({ model: 'nope/text-embedding-3-small', input: 'x' })
    expect(missing.status).toBe(404)
    expect(await missing.json()).toMatchObject({ error: { code: 'model_not_found' } })
    expect(gateway.fake.requests).toHaveLength(0)
  })

  it('refuses an anthropic connection with a 400 naming the combination', async () => {
    const res = await embed({ model: 'anthropic/claude-sonnet-4-5', input: 'x' })
    expect(res.status).toBe(400)
    const body = (await res.json()) as { error: { message: string; code: string } }
    expect(body.error.code).toBe('provider_not_supported')
    expect(body.error.message).toContain("POST /v1/embeddings is not supported for provider connection 'anthropic' (type 'anthropic')")
    expect(res.headers.get(HEADERS.error)).toBe('SY_ERR_PROVIDER_UNSUPPORTED')
    expect(gateway.fake.requests).toHaveLength(0)
  })

  it('relays an upstream error with its status, body and retry headers', async () => {
    const res = await embed({ model: `fake/${FAKE_OPENAI_MODELS.error429}`, input: 'x' })
    expect(res.status).toBe(429)
    expect(res.headers.get('retry-after')).toBe('2')
    expect(await res.json()).toMatchObject({ error: { code: 'rate_limit_exceeded' } })
    const [event] = await waitForLogEvents(gateway, 1)
    expect(event).toMatchObject({ outcome: 'error', errorCode: 'SY_ERR_UPSTREAM_STATUS' })
  })
})
