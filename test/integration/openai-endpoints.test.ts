import Anthropic from '@anthropic-ai/sdk'
import OpenAI, { APIError } from 'openai'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Gateway, startGateway, waitForLogEvents } from '../../data-plane/src/testing/gateway-fixture.ts'
import { FAKE_OPENAI_MODELS } from '../fake-providers/openai.ts'

// The official SDKs against the data plane's other endpoints (issue #3): the OpenAI SDK's
// models.list(), embeddings.create() and responses.create() (JSON and stream), and the
// Anthropic SDK's messages.countTokens() — exact from an anthropic connection, an estimate
// (bundled tokenizer) for an openai one.

let gateway: Gateway
let openai: OpenAI
let anthropic: Anthropic
/** The response headers of the SDK's last request. */
let received = new Headers()

const recordingFetch: typeof fetch = async (url, init) => {
  const res = await fetch(url, init)
  received = res.headers
  return res
}

beforeAll(async () => {
  gateway = await startGateway()
  const parts = gateway.defaultParts(2)
  const [fake, claude] = parts.providers ?? []
  if (!fake || !claude) throw new Error('default connections')
  await gateway.publish({ ...parts, providers: [{ ...fake, settings: { models: ['gpt-4o-mini', 'text-embedding-3-small'] } }, claude] })
  openai = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: gateway.key, maxRetries: 0, fetch: recordingFetch })
  anthropic = new Anthropic({ baseURL: gateway.url, apiKey: gateway.key, maxRetries: 0, fetch: recordingFetch })
})

afterAll(async () => {
  await gateway.close()
})

describe('OpenAI SDK', () => {
  it('models.list() returns the key’s models', async () => {
    const ids: string[] = []
    for await (const model of openai.models.list()) ids.push(model.id)
    expect(ids).toEqual(['fake/gpt-4o-mini', 'fake/text-embedding-3-small'])
  })

  it('embeddings.create() decodes the relayed (base64) vectors and reports usage', async () => {
    const result = await openai.embeddings.create({ model: 'fake/text-embedding-3-small', input: ['alpha', 'beta'], dimensions: 4 })
    expect(result.data).toHaveLength(2)
    expect(result.data[0]?.embedding).toHaveLength(4)
    expect(result.usage).toEqual({ prompt_tokens: 3, total_tokens: 3 })
    expect(JSON.parse(gateway.fake.requests.at(-1)?.body ?? '')).toMatchObject({ model: 'text-embedding-3-small', encoding_format: 'base64' })
  })

  it('responses.create() returns the output text and usage', async () => {
    const response = await openai.responses.create({ model: 'fake/gpt-4o-mini', input: 'Hello Responses API' })
    expect(response.output_text).toBe('Hello Responses API')
    expect(response.usage?.output_tokens).toBeGreaterThan(0)
    expect(response.model).toBe('gpt-4o-mini')
  })

  it('responses.create({stream: true}) yields the documented events and a completed response', async () => {
    const stream = await openai.responses.create({ model: 'fake/gpt-4o-mini', input: [{ role: 'user', content: 'Stream this please' }], stream: true })
    const types: string[] = []
    let text = ''
    let usage: OpenAI.Responses.ResponseUsage | undefined
    for await (const event of stream) {
      types.push(event.type)
      if (event.type === 'response.output_text.delta') text += event.delta
      if (event.type === 'response.completed') usage = event.response.usage
    }
    expect(types[0]).toBe('response.created')
    expect(types.at(-1)).toBe('response.completed')
    expect(text).toBe('Stream this please')
    expect(usage?.input_tokens_details.cached_tokens).toBe(0)
    const events = await waitForLogEvents(gateway, 3)
    expect(events.at(-1)).toMatchObject({ endpoint: '/v1/responses', stream: true, outcome: 'success' })
  })

  it('ends a broken Responses stream with the grammar’s terminal error event', async () => {
    const stream = await openai.responses.create({ model: `fake/${FAKE_OPENAI_MODELS.cutStream}`, input: 'one two three', stream: true })
    const events: OpenAI.Responses.ResponseStreamEvent[] = []
    for await (const event of stream) events.push(event)
    expect(events.some((e) => e.type === 'response.completed')).toBe(false)
    expect(events.at(-1)).toMatchObject({ type: 'error', code: 'upstream_stream_incomplete', param: null, sequence_number: 5 })
  })

  it('relays an upstream error as the SDK’s APIError', async () => {
    await expect(openai.responses.create({ model: `fake/${FAKE_OPENAI_MODELS.error429}`, input: 'x' })).rejects.toMatchObject({ status: 429 })
    await expect(openai.embeddings.create({ model: 'anthropic/claude-sonnet-4-5', input: 'x' })).rejects.toBeInstanceOf(APIError)
  })
})

describe('Anthropic SDK messages.countTokens()', () => {
  const messages = [{ role: 'user' as const, content: 'How many tokens is this?' }]

  it('is exact for an anthropic connection (the provider counts)', async () => {
    const result = await anthropic.messages.countTokens({ model: 'anthropic/claude-sonnet-4-5', messages })
    expect(result.input_tokens).toBe(6)
    expect(received.get('x-switchyard-token-count')).toBeNull()
  })

  it('is a flagged estimate for an openai connection', async () => {
    const result = await anthropic.messages.countTokens({ model: 'fake/gpt-4o-mini', messages })
    expect(result.input_tokens).toBeGreaterThan(4)
    expect(received.get('x-switchyard-token-count')).toBe('estimate')
    expect(result).toMatchObject({ estimate: true })
  })
})
