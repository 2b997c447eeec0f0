import Anthropic from '@anthropic-ai/sdk'
import OpenAI from 'openai'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Gateway, PROVIDER_KEY, startGateway, waitForLogEvents } from '../../data-plane/src/testing/gateway-fixture.ts'
import { FAKE_AZURE_DEPLOYMENTS } from '../fake-providers/azure.ts'

// An `azure-openai` connection through the data plane: the OpenAI SDK passes through (chat JSON
// and stream, embeddings, content-filter results), the Anthropic SDK is translated by the OpenAI
// family's translator. Upstream: the fake Azure (deployments, api-version, api-key).

const API_VERSION = '2024-10-21'
let gateway: Gateway
let openai: OpenAI
let anthropic: Anthropic

beforeAll(async () => {
  gateway = await startGateway()
  await gateway.publish({
    version: 2,
    keys: [{ id: 'vk_1', key: gateway.key }],
    providers: [
      {
        id: 'prov_az',
        name: 'azure',
        type: 'azure-openai',
        baseUrl: gateway.fake.azureBaseUrl,
        settings: { apiVersion: API_VERSION, deployments: { 'gpt-4o': 'prod-gpt-4o', filtered: FAKE_AZURE_DEPLOYMENTS.contentFiltered } },
      },
    ],
  })
  openai = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: gateway.key, maxRetries: 0 })
  anthropic = new Anthropic({ baseURL: gateway.url, apiKey: gateway.key, maxRetries: 0 })
})

afterAll(async () => {
  await gateway.close()
})

function lastUpstream() {
  const recorded = gateway.fake.requests.at(-1)
  if (!recorded) throw new Error('nothing went upstream')
  return recorded
}

describe('azure-openai via the OpenAI SDK (passthrough)', () => {
  it('chat JSON: the alias’s deployment, api-version and api-key go upstream', async () => {
    const done = await openai.chat.completions.create({ model: 'azure/gpt-4o', messages: [{ role: 'user', content: 'Hello Azure' }] })
    expect(done.choices[0]?.message.content).toBe('Hello Azure')
    expect(done.model).toBe('prod-gpt-4o')
    const upstream = lastUpstream()
    expect(upstream.path).toBe(`/azure/openai/deployments/prod-gpt-4o/chat/completions?api-version=${API_VERSION}`)
    expect(upstream.headers['api-key']).toBe(PROVIDER_KEY)
    expect(upstream.headers.authorization).toBeUndefined()
  })

  it('chat stream: content and usage (asked for upstream, removed for the client)', async () => {
    const stream = await openai.chat.completions.create({ model: 'azure/gpt-4o', messages: [{ role: 'user', content: 'Stream from Azure' }], stream: true })
    let text = ''
    let sawUsage = false
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? ''
      if (chunk.usage) sawUsage = true
    }
    expect(text).toBe('Stream from Azure')
    expect(sawUsage).toBe(false)
    const events = await waitForLogEvents(gateway, 2)
    expect(events.at(-1)).toMatchObject({ provider: 'azure', stream: true, outcome: 'success' })
    expect(events.at(-1)?.usage?.completionTokens).toBeGreaterThan(0)
  })

  it('a model without a deployment entry is its own deployment; embeddings alike', async () => {
    const result = await openai.embeddings.create({ model: 'azure/text-embedding-3-small', input: 'vector me' })
    expect(result.data[0]?.embedding.length).toBeGreaterThan(0)
    expect(lastUpstream().path).toBe(`/azure/openai/deployments/text-embedding-3-small/embeddings?api-version=${API_VERSION}`)
  })

  it('content-filter results pass through', async () => {
    const done = await openai.chat.completions.create({ model: 'azure/filtered', messages: [{ role: 'user', content: 'x' }] })
    expect(done.choices[0]?.finish_reason).toBe('content_filter')
    expect(done).toHaveProperty('prompt_filter_results')
  })
})

describe('azure-openai via the Anthropic SDK (translated)', () => {
  it('messages.create()', async () => {
    const message = await anthropic.messages.create({ model: 'azure/gpt-4o', max_tokens: 64, messages: [{ role: 'user', content: 'Hello from Claude clients' }] })
    expect(message.content).toEqual([{ type: 'text', text: 'Hello from Claude clients' }])
    expect(message.stop_reason).toBe('end_turn')
    expect(message.usage.input_tokens).toBeGreaterThan(0)
    const sent = JSON.parse(lastUpstream().body) as Record<string, unknown>
    expect(sent).toMatchObject({ model: 'gpt-4o', max_completion_tokens: 64 })
    expect(sent).not.toHaveProperty('max_tokens')
  })

  it('messages.stream()', async () => {
    const message = await anthropic.messages.stream({ model: 'azure/gpt-4o', max_tokens: 64, messages: [{ role: 'user', content: 'Stream to Claude clients' }] }).finalMessage()
    expect(message.content).toEqual([{ type: 'text', text: 'Stream to Claude clients' }])
    expect(message.usage.output_tokens).toBeGreaterThan(0)
  })
})
