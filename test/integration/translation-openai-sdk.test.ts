import { HEADERS } from '@switchyard/shared/headers'
import OpenAI from 'openai'
import type { ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type Gateway, startGateway, waitForLogEvents } from '../../data-plane/src/testing/gateway-fixture.ts'
import { FAKE_ANTHROPIC_MODELS } from '../fake-providers/anthropic.ts'

// The official OpenAI SDK against the data plane, in front of the fake Anthropic provider: an
// OpenAI Chat Completions client served by an `anthropic` connection through translation.

let gateway: Gateway
let client: OpenAI

beforeEach(async () => {
  gateway = await startGateway()
  client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: gateway.key, maxRetries: 0 })
})

afterEach(async () => {
  await gateway.close()
})

const MODEL = 'anthropic/claude-sonnet-4-5'
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII='

const tools: ChatCompletionTool[] = [
  { type: 'function', function: { name: 'get_weather', description: 'Weather in a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } } },
  { type: 'function', function: { name: 'get_time', parameters: { type: 'object', properties: { zone: { type: 'string' }, hours: { type: 'integer' } } } } },
]

function upstreamBody(): Record<string, unknown> {
  const last = gateway.fake.requests.at(-1)
  if (!last) throw new Error('the fake provider received nothing')
  return JSON.parse(last.body) as Record<string, unknown>
}

describe('OpenAI SDK → anthropic connection', () => {
  it('chat.completions.create: text, finish_reason, usage from Anthropic; system hoisted; default max_tokens', async () => {
    const { data, response } = await client.chat.completions
      .create({ model: MODEL, messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hello from the OpenAI SDK' }] })
      .withResponse()
    expect(data.choices[0]?.message).toMatchObject({ role: 'assistant', content: 'Hello from the OpenAI SDK' })
    expect(data.choices[0]?.finish_reason).toBe('stop')
    expect(data.object).toBe('chat.completion')
    expect(data.model).toBe('claude-sonnet-4-5')
    expect(upstreamBody()).toEqual({ model: 'claude-sonnet-4-5', system: 'Be brief.', messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello from the OpenAI SDK' }] }], max_tokens: 4096 })
    expect(response.headers.get(HEADERS.provider)).toBe('anthropic')
    expect(response.headers.get('anthropic-ratelimit-requests-limit')).toBe('4000')
    const [event] = await waitForLogEvents(gateway, 1)
    expect(event).toMatchObject({ outcome: 'success', provider: 'anthropic', usage: { promptTokens: data.usage?.prompt_tokens, completionTokens: data.usage?.completion_tokens } })
  })

  it('chat.completions.stream(): the SDK stream helper assembles content, finish_reason and usage', async () => {
    const stream = client.chat.completions.stream({ model: MODEL, messages: [{ role: 'user', content: 'Stream me please' }], stream_options: { include_usage: true } })
    const completion = await stream.finalChatCompletion()
    expect(completion.choices[0]?.message.content).toBe('Stream me please')
    expect(completion.choices[0]?.finish_reason).toBe('stop')
    expect(completion.usage?.completion_tokens).toBeGreaterThan(0)
    expect(upstreamBody()).toMatchObject({ stream: true })
    const [event] = await waitForLogEvents(gateway, 1)
    expect(event).toMatchObject({ stream: true, outcome: 'success', usage: { promptTokens: completion.usage?.prompt_tokens, completionTokens: completion.usage?.completion_tokens } })
  })

  it('renders the stream in OpenAI grammar: role first, no usage chunk unless asked, [DONE]', async () => {
    const response = await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'hi there' }], stream: true }).asResponse()
    const text = await response.text()
    const chunks = text.split('\n\n').filter(Boolean)
    expect(chunks.at(-1)).toBe('data: [DONE]')
    const parsed = chunks.slice(0, -1).map((c) => JSON.parse(c.slice('data: '.length)) as { choices: { delta: { role?: string }; finish_reason: string | null }[]; usage?: unknown })
    expect(parsed[0]?.choices[0]?.delta.role).toBe('assistant')
    expect(parsed.at(-1)?.choices[0]?.finish_reason).toBe('stop')
    expect(parsed.every((c) => c.usage === undefined && c.choices.length === 1)).toBe(true)
  })

  for (const stream of [false, true]) {
    it(`tool call round trip (${stream ? 'stream' : 'JSON'}): parallel tool_calls → tool results → final answer`, async () => {
      const messages: ChatCompletionMessageParam[] = [{ role: 'user', content: 'Berlin' }]
      const first = stream
        ? await client.chat.completions.stream({ model: MODEL, messages, tools }).finalChatCompletion()
        : await client.chat.completions.create({ model: MODEL, messages, tools })
      const message = first.choices[0]?.message
      expect(first.choices[0]?.finish_reason).toBe('tool_calls')
      const calls = (message?.tool_calls ?? []).flatMap((c) => (c.type === 'function' ? [c] : []))
      expect(calls.map((c) => [c.function.name, JSON.parse(c.function.arguments)])).toEqual([
        ['get_weather', { city: 'Berlin' }],
        ['get_time', { zone: 'Berlin', hours: 42 }],
      ])
      expect(calls.every((c) => c.id.startsWith('toolu_'))).toBe(true)
      if (!message) throw new Error('no message')
      messages.push(message, ...calls.map((c, i) => ({ role: 'tool' as const, tool_call_id: c.id, content: i === 0 ? 'sunny' : '12:00' })))
      const final = await client.chat.completions.create({ model: MODEL, messages, tools })
      expect(final.choices[0]?.message.content).toBe('Tool said: sunny | 12:00')
      expect(final.choices[0]?.finish_reason).toBe('stop')
      const sent = upstreamBody().messages as { role: string; content: { type: string }[] }[]
      expect(sent.map((m) => [m.role, m.content.map((b) => b.type)])).toEqual([
        ['user', ['text']],
        ['assistant', ['tool_use', 'tool_use']],
        ['user', ['tool_result', 'tool_result']],
      ])
    })
  }

  it('image input: a base64 data URL and an https URL arrive as Anthropic image blocks', async () => {
    const completion = await client.chat.completions.create({
      model: MODEL,
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is this? ' },
            { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG}` } },
            { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg', detail: 'high' } },
          ],
        },
      ],
    }).withResponse()
    expect(completion.data.choices[0]?.message.content).toBe(`What is this? [image image/png base64 length=${PNG.length}][image url=https://example.com/cat.jpg]`)
    expect(completion.response.headers.get(HEADERS.degraded)).toBe('image_url.detail')
  })

  it('structured output: response_format json_schema → Anthropic output_config.format', async () => {
    const schema = { type: 'object', properties: { city: { type: 'string' }, population: { type: 'integer' } }, required: ['city', 'population'], additionalProperties: false }
    const completion = await client.chat.completions.create({
      model: MODEL,
      messages: [{ role: 'user', content: 'Paris' }],
      response_format: { type: 'json_schema', json_schema: { name: 'city', schema, strict: true } },
    })
    expect(JSON.parse(completion.choices[0]?.message.content ?? '')).toEqual({ city: 'Paris', population: 42 })
    expect(upstreamBody().output_config).toEqual({ format: { type: 'json_schema', schema } })
  })

  it('reasoning_effort → thinking; the thinking text comes back as reasoning_content; dropped fields are named', async () => {
    const { data, response } = await client.chat.completions
      .create({ model: MODEL, messages: [{ role: 'user', content: 'Think' }], reasoning_effort: 'low', seed: 7, presence_penalty: 0.5, logit_bias: { '50256': -100 } })
      .withResponse()
    expect(upstreamBody()).toMatchObject({ thinking: { type: 'enabled', budget_tokens: 1024 }, max_tokens: 4096 + 1024 })
    expect(data.choices[0]?.message).toMatchObject({ content: 'Think', reasoning_content: 'Considering: Think' })
    expect(response.headers.get(HEADERS.degraded)).toBe('logit_bias, seed, presence_penalty')
  })
})

describe('OpenAI SDK → anthropic connection: errors in OpenAI shape', () => {
  it('429 keeps its status and retry-after; 529 overloaded becomes 503; before a stream starts too', async () => {
    const limited = await client.chat.completions.create({ model: `anthropic/${FAKE_ANTHROPIC_MODELS.error429}`, messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e)
    expect(limited).toBeInstanceOf(OpenAI.RateLimitError)
    const rateLimit = limited as InstanceType<typeof OpenAI.RateLimitError>
    expect(rateLimit.headers?.get('retry-after')).toBe('2')
    expect(rateLimit.error).toMatchObject({ type: 'requests', code: 'rate_limit_exceeded' })

    for (const model of [FAKE_ANTHROPIC_MODELS.overloaded, FAKE_ANTHROPIC_MODELS.overloadedInStream]) {
      const stream = client.chat.completions.stream({ model: `anthropic/${model}`, messages: [{ role: 'user', content: 'x' }] })
      const err = await stream.finalChatCompletion().catch((e: unknown) => e)
      expect(err, model).toBeInstanceOf(OpenAI.InternalServerError)
      expect((err as InstanceType<typeof OpenAI.APIError>).status).toBe(503)
      expect((err as InstanceType<typeof OpenAI.APIError>).error).toMatchObject({ message: 'Overloaded', type: 'server_error', code: 'overloaded' })
    }
    const events = await waitForLogEvents(gateway, 3)
    expect(events.map((e) => [e.status, e.outcome, e.errorCode])).toEqual([
      [429, 'error', 'SY_ERR_UPSTREAM_STATUS'],
      [503, 'error', 'SY_ERR_UPSTREAM_STATUS'],
      [503, 'error', 'SY_ERR_UPSTREAM_STATUS'],
    ])
  })

  it('a stream cut short upstream ends in an in-band OpenAI error and is logged incomplete', async () => {
    const response = await client.chat.completions.create({ model: `anthropic/${FAKE_ANTHROPIC_MODELS.cutStream}`, messages: [{ role: 'user', content: 'one two three' }], stream: true }).asResponse()
    const text = await response.text()
    expect(text).toMatch(/"role":"assistant"/)
    expect(text).toMatch(/\n\ndata: \{"error":\{[^\n]*"code":"upstream_stream_incomplete"\}\}\n\n$/)
    const [event] = await waitForLogEvents(gateway, 1)
    expect(event).toMatchObject({ outcome: 'incomplete', errorCode: 'SY_ERR_UPSTREAM_STREAM_INCOMPLETE' })
    expect(event?.usage?.promptTokens).toBeGreaterThan(0)
  })

  it('400s what Anthropic cannot do (n > 1, logprobs, audio) without calling upstream', async () => {
    for (const extra of [{ n: 2 }, { logprobs: true }, { modalities: ['text', 'audio'] as ('text' | 'audio')[] }]) {
      const err = await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'x' }], ...extra }).catch((e: unknown) => e)
      expect(err).toBeInstanceOf(OpenAI.BadRequestError)
      expect((err as InstanceType<typeof OpenAI.APIError>).error).toMatchObject({ code: 'unsupported_parameter' })
    }
    expect(gateway.fake.requests).toHaveLength(0)
  })
})
