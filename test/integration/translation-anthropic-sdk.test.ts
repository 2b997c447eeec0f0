import Anthropic from '@anthropic-ai/sdk'
import type { MessageParam, Tool } from '@anthropic-ai/sdk/resources/messages'
import { HEADERS } from '@switchyard/shared/headers'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type Gateway, startGateway, waitForLogEvents } from '../../data-plane/src/testing/gateway-fixture.ts'
import { FAKE_OPENAI_MODELS } from '../fake-providers/openai.ts'

// The official Anthropic SDK against the data plane, in front of the fake OpenAI provider: an
// Anthropic Messages client served by an `openai` connection through translation.

let gateway: Gateway
let client: Anthropic

beforeEach(async () => {
  gateway = await startGateway()
  client = new Anthropic({ baseURL: gateway.url, apiKey: gateway.key, maxRetries: 0 })
})

afterEach(async () => {
  await gateway.close()
})

const MODEL = 'fake/gpt-4o-mini'
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII='

const tools: Tool[] = [
  { name: 'get_weather', description: 'Weather in a city', input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
  { name: 'get_time', input_schema: { type: 'object', properties: { zone: { type: 'string' } } } },
]

function upstreamBody(): Record<string, unknown> {
  const last = gateway.fake.requests.at(-1)
  if (!last) throw new Error('the fake provider received nothing')
  return JSON.parse(last.body) as Record<string, unknown>
}

describe('Anthropic SDK → openai connection', () => {
  it('messages.create: text, stop_reason and usage from OpenAI; system becomes a system message', async () => {
    const { data, response } = await client.messages
      .create({ model: MODEL, max_tokens: 256, system: 'Be brief.', messages: [{ role: 'user', content: 'Hello from the Anthropic SDK' }] })
      .withResponse()
    expect(data).toMatchObject({ type: 'message', role: 'assistant', model: 'gpt-4o-mini', content: [{ type: 'text', text: 'Hello from the Anthropic SDK' }], stop_reason: 'end_turn' })
    expect(data.usage).toMatchObject({ input_tokens: expect.any(Number), output_tokens: 7, cache_read_input_tokens: 0 })
    expect(upstreamBody()).toEqual({
      model: 'gpt-4o-mini',
      messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hello from the Anthropic SDK' }],
      // An `openai` connection gets OpenAI's current field; `openai-compatible` ones get `max_tokens`.
      max_completion_tokens: 256,
    })
    expect(response.headers.get(HEADERS.provider)).toBe('fake')
    expect(response.headers.get('x-ratelimit-limit-requests')).toBe('10000')
    const [event] = await waitForLogEvents(gateway, 1)
    expect(event).toMatchObject({ outcome: 'success', usage: { promptTokens: data.usage.input_tokens, completionTokens: 7, reasoningTokens: 0 } })
  })

  it('messages.stream().finalMessage(): text, stop_reason and usage; upstream asked for usage', async () => {
    const message = await client.messages.stream({ model: MODEL, max_tokens: 256, messages: [{ role: 'user', content: 'Stream me please' }] }).finalMessage()
    expect(message.content).toEqual([{ type: 'text', text: 'Stream me please' }])
    expect(message.stop_reason).toBe('end_turn')
    expect(message.usage.input_tokens).toBeGreaterThan(0)
    expect(message.usage.output_tokens).toBe(4)
    expect(upstreamBody()).toMatchObject({ stream: true, stream_options: { include_usage: true } })
    const [event] = await waitForLogEvents(gateway, 1)
    expect(event).toMatchObject({ stream: true, outcome: 'success', usage: { promptTokens: message.usage.input_tokens, completionTokens: 4 } })
  })

  it('renders the stream in Anthropic grammar, event by event', async () => {
    const response = await client.messages.create({ model: MODEL, max_tokens: 64, messages: [{ role: 'user', content: 'a b' }], stream: true }).asResponse()
    const names = (await response.text()).split('\n\n').filter(Boolean).map((e) => e.split('\n')[0])
    expect(names).toEqual([
      'event: message_start',
      'event: ping',
      'event: content_block_start',
      'event: content_block_delta',
      'event: content_block_delta',
      'event: content_block_stop',
      'event: message_delta',
      'event: message_stop',
    ])
  })

  for (const stream of [false, true]) {
    it(`tool_use round trip (${stream ? 'stream' : 'JSON'}): parallel tool_use → tool_result → final answer`, async () => {
      const messages: MessageParam[] = [{ role: 'user', content: 'Berlin' }]
      const params = { model: MODEL, max_tokens: 256, tools }
      const first = stream ? await client.messages.stream({ ...params, messages }).finalMessage() : await client.messages.create({ ...params, messages })
      expect(first.stop_reason).toBe('tool_use')
      const uses = first.content.flatMap((b) => (b.type === 'tool_use' ? [b] : []))
      expect(uses.map((b) => [b.name, b.input])).toEqual([
        ['get_weather', { city: 'Berlin' }],
        ['get_time', { zone: 'Berlin' }],
      ])
      messages.push({ role: 'assistant', content: first.content }, { role: 'user', content: uses.map((b, i) => ({ type: 'tool_result' as const, tool_use_id: b.id, content: i === 0 ? 'sunny' : '12:00' })) })
      const final = await client.messages.create({ ...params, messages })
      expect(final.content).toEqual([{ type: 'text', text: 'Tool said: sunny | 12:00' }])
      const sent = upstreamBody().messages as { role: string }[]
      expect(sent.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'tool'])
    })
  }

  it('image input: base64 and URL image blocks arrive as OpenAI image_url parts', async () => {
    const message = await client.messages.create({
      model: MODEL,
      max_tokens: 64,
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is this? ' },
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG } },
            { type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' } },
          ],
        },
      ],
    })
    expect(message.content).toEqual([{ type: 'text', text: `What is this? [image image/png base64 length=${PNG.length}][image url=https://example.com/cat.jpg]` }])
  })

  it('structured output: output_config.format → OpenAI response_format json_schema', async () => {
    const schema = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false }
    const message = await client.messages.create({ model: MODEL, max_tokens: 64, messages: [{ role: 'user', content: 'Paris' }], output_config: { format: { type: 'json_schema', schema } } })
    const text = message.content[0]?.type === 'text' ? message.content[0].text : ''
    expect(JSON.parse(text)).toEqual({ city: 'Paris' })
    expect(upstreamBody().response_format).toEqual({ type: 'json_schema', json_schema: { name: 'response', schema, strict: true } })
  })

  it('thinking → reasoning_effort, cache_control dropped and named', async () => {
    const { response } = await client.messages
      .create({
        // A reasoning model: OpenAI's chat models (gpt-4o-mini) take no reasoning_effort.
        model: 'fake/o4-mini',
        max_tokens: 8192,
        thinking: { type: 'enabled', budget_tokens: 4000 },
        system: [{ type: 'text', text: 'Be brief.', cache_control: { type: 'ephemeral' } }],
        messages: [{ role: 'user', content: 'Think' }],
      })
      .withResponse()
    expect(upstreamBody()).toMatchObject({ reasoning_effort: 'medium', max_completion_tokens: 8192 })
    expect(response.headers.get(HEADERS.degraded)).toBe('thinking.budget_tokens (sent as reasoning_effort=medium), cache_control')
  })
})

describe('Anthropic SDK → openai connection: errors in Anthropic shape', () => {
  it('429 keeps its status and retry-after as rate_limit_error; 500 is an api_error', async () => {
    const limited = await client.messages.create({ model: `fake/${FAKE_OPENAI_MODELS.error429}`, max_tokens: 8, messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e)
    expect(limited).toBeInstanceOf(Anthropic.RateLimitError)
    expect((limited as InstanceType<typeof Anthropic.APIError>).headers?.get('retry-after')).toBe('2')
    expect((limited as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({ type: 'error', error: { type: 'rate_limit_error' } })

    const failed = await client.messages.stream({ model: `fake/${FAKE_OPENAI_MODELS.error500}`, max_tokens: 8, messages: [{ role: 'user', content: 'x' }] }).finalMessage().catch((e: unknown) => e)
    expect(failed).toBeInstanceOf(Anthropic.InternalServerError)
    expect((failed as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({ type: 'error', error: { type: 'api_error' } })
  })

  it('a stream cut short upstream ends in an in-band api_error and is logged incomplete', async () => {
    const err = await client.messages.stream({ model: `fake/${FAKE_OPENAI_MODELS.cutStream}`, max_tokens: 8, messages: [{ role: 'user', content: 'one two three' }] }).finalMessage().catch((e: unknown) => e)
    expect(err).toBeInstanceOf(Anthropic.APIError)
    expect((err as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({ type: 'error', error: { type: 'api_error' } })
    const [event] = await waitForLogEvents(gateway, 1)
    expect(event).toMatchObject({ outcome: 'incomplete', errorCode: 'SY_ERR_UPSTREAM_STREAM_INCOMPLETE' })
  })

  it('400s what OpenAI cannot do (server tools, documents) and a missing max_tokens, without calling upstream', async () => {
    const bodies = [
      { model: MODEL, max_tokens: 8, messages: [{ role: 'user', content: 'x' }], tools: [{ type: 'web_search_20250305', name: 'web_search' }] },
      { model: MODEL, max_tokens: 8, messages: [{ role: 'user', content: [{ type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'x' } }] }] },
      { model: MODEL, messages: [{ role: 'user', content: 'x' }] },
    ]
    for (const body of bodies) {
      const err = await client.post('/v1/messages', { body }).catch((e: unknown) => e)
      expect(err).toBeInstanceOf(Anthropic.BadRequestError)
      expect((err as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } })
    }
    expect(gateway.fake.requests).toHaveLength(0)
  })
})
