import { generateVirtualKey } from '@switchyard/shared/keys'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type Gateway, type SnapshotParts, startGateway } from '../testing/gateway-fixture.ts'

let gateway: Gateway
const restricted = generateVirtualKey()

beforeEach(async () => {
  gateway = await startGateway()
  const parts: SnapshotParts = {
    version: 2,
    keys: [
      { id: 'vk_1', key: gateway.key },
      { id: 'vk_2', key: restricted, allowedModels: ['fake/gpt-4o-mini', 'azure/*', 'anthropic/claude-haiku-4-5', 'gone/model'] },
    ],
    providers: [
      { id: 'prov_1', name: 'fake', baseUrl: gateway.fake.openaiBaseUrl, settings: { models: ['gpt-4o-mini', 'gpt-4.1'] } },
      { id: 'prov_2', name: 'anthropic', type: 'anthropic', baseUrl: gateway.fake.anthropicBaseUrl },
      { id: 'prov_3', name: 'azure', type: 'azure-openai', baseUrl: gateway.fake.azureBaseUrl, settings: { deployments: { 'gpt-4o': 'prod-4o' } } },
    ],
  }
  await gateway.publish(parts)
})

afterEach(async () => {
  await gateway.close()
})

const list = (key: string | null, headers: Record<string, string> = {}, query = '') =>
  fetch(`${gateway.url}/v1/models${query}`, { headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...headers } })

describe('GET /v1/models', () => {
  it('lists the declared models and deployment aliases of every connection for an unrestricted key (OpenAI format)', async () => {
    const res = await list(gateway.key)
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({
      object: 'list',
      data: [
        { id: 'fake/gpt-4o-mini', object: 'model', created: 0, owned_by: 'fake' },
        { id: 'fake/gpt-4.1', object: 'model', created: 0, owned_by: 'fake' },
        { id: 'azure/gpt-4o', object: 'model', created: 0, owned_by: 'azure' },
      ],
    })
    expect(gateway.fake.requests).toHaveLength(0)
  })

  it('lists only what a restricted key may call, plus its explicit ids of existing connections', async () => {
    const body = (await (await list(restricted)).json()) as { data: { id: string }[] }
    expect(body.data.map((m) => m.id)).toEqual(['fake/gpt-4o-mini', 'azure/gpt-4o', 'anthropic/claude-haiku-4-5'])
  })

  it('answers the Anthropic SDK (anthropic-version, x-api-key) in Anthropic list format, paged', async () => {
    const headers = { 'x-api-key': restricted, 'anthropic-version': '2023-06-01' }
    const first = await fetch(`${gateway.url}/v1/models?limit=2`, { headers })
    expect(first.status).toBe(200)
    expect(await first.json()).toEqual({
      data: [
        { type: 'model', id: 'fake/gpt-4o-mini', display_name: 'fake/gpt-4o-mini', created_at: '1970-01-01T00:00:00Z' },
        { type: 'model', id: 'azure/gpt-4o', display_name: 'azure/gpt-4o', created_at: '1970-01-01T00:00:00Z' },
      ],
      has_more: true,
      first_id: 'fake/gpt-4o-mini',
      last_id: 'azure/gpt-4o',
    })
    const next = (await (await fetch(`${gateway.url}/v1/models?limit=2&after_id=azure/gpt-4o`, { headers })).json()) as { data: { id: string }[]; has_more: boolean }
    expect(next.data.map((m) => m.id)).toEqual(['anthropic/claude-haiku-4-5'])
    expect(next.has_more).toBe(false)
  })

  it('refuses a missing or unknown key with 401 in the caller format', async () => {
    const openai = await list(null)
    expect(openai.status).toBe(401)
    expect(await openai.json()).toMatchObject({ error: { code: 'invalid_api_key' } })
    const anthropic = await fetch(`${gateway.url}/v1/models`, { headers: { 'x-api-key': generateVirtualKey(), 'anthropic-version': '2023-06-01' } })
    expect(anthropic.status).toBe(401)
    expect(await anthropic.json()).toMatchObject({ type: 'error', error: { type: 'authentication_error' } })
  })
})
