import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { anthropicAdapter } from '../providers/anthropic/adapter.ts'
import { openaiAdapter } from '../providers/openai/adapter.ts'
import type { ProviderTranslator } from '../providers/types.ts'
import { SseDecoder } from '../upstream/sse.ts'
import { createAnthropicStreamEncoder } from './anthropic/stream.ts'
import { createOpenAIStreamEncoder } from './openai/stream.ts'
import type { StreamEncoder } from './types.ts'
import { mulberry32, randomCuts } from '../testing/rechunk.ts'

// Recorded upstream streams, translated into the other family's grammar: the exact rendered
// events, and the same events however the upstream bytes are chunked (property, seeded).

const fixture = (path: string) => readFileSync(new URL(path, import.meta.url))
const OPENAI_STREAM = fixture('../providers/openai/fixtures/tool-calls.stream.txt')
const ANTHROPIC_STREAM = fixture('../providers/anthropic/fixtures/thinking-tool.stream.txt')

function translate(bytes: Buffer, cuts: number[], translator: ProviderTranslator, encoder: StreamEncoder): string[] {
  const sse = new SseDecoder()
  const decoder = translator.createStreamDecoder()
  const frames: string[] = []
  let from = 0
  for (const cut of [...cuts, bytes.length]) {
    const events = sse.push(bytes.subarray(from, cut))
    from = cut
    for (const event of events) {
      if (event.data === null) continue
      for (const e of decoder.decode(event.data, event.event).events) frames.push(...encoder.encode(e))
    }
  }
  return frames
}



const parseFrames = (frames: string[]) =>
  frames.map((f) => {
    const data = f.slice(f.indexOf('data: ') + 'data: '.length).trim()
    return { event: f.startsWith('event: ') ? f.slice(7, f.indexOf('\n')) : null, data: data === '[DONE]' ? data : (JSON.parse(data) as unknown) }
  })

describe('OpenAI upstream stream → Anthropic client grammar', () => {
  const render = (cuts: number[]) => translate(OPENAI_STREAM, cuts, openaiAdapter.translator as ProviderTranslator, createAnthropicStreamEncoder())

  it('renders message_start, ping, blocks with text and input_json deltas, message_delta with usage, message_stop', () => {
    const frames = parseFrames(render([]))
    expect(frames.map((f) => f.event)).toEqual([
      'message_start', 'ping',
      'content_block_start', 'content_block_delta', 'content_block_stop',
      'content_block_start', 'content_block_delta', 'content_block_delta', 'content_block_stop',
      'content_block_start', 'content_block_delta', 'content_block_stop',
      'message_delta', 'message_stop',
    ])
    expect(frames[0]?.data).toMatchObject({ message: { id: 'chatcmpl-1', model: 'gpt-4o-2024', role: 'assistant', content: [] } })
    expect(frames[5]?.data).toEqual({ type: 'content_block_start', index: 1, content_block: { type: 'tool_use', id: 'call_a', name: 'get_weather', input: {} } })
    expect(frames[6]?.data).toMatchObject({ index: 1, delta: { type: 'input_json_delta', partial_json: '{"city":' } })
    expect(frames.at(-2)?.data).toEqual({
      type: 'message_delta',
      delta: { stop_reason: 'tool_use', stop_sequence: null },
      usage: { input_tokens: 16, output_tokens: 9, cache_creation_input_tokens: 0, cache_read_input_tokens: 4 },
    })
  })

  it('renders the same events for 1-byte and random chunkings (property, 300 seeds)', () => {
    const expected = render([])
    expect(render(Array.from({ length: OPENAI_STREAM.length - 1 }, (_, i) => i + 1))).toEqual(expected)
    for (let seed = 1; seed <= 300; seed++) expect(render(randomCuts(OPENAI_STREAM.length, mulberry32(seed))), `seed ${seed}`).toEqual(expected)
  })
})

describe('Anthropic upstream stream → OpenAI client grammar', () => {
  // `created` is the encoder's clock: normalized so renderings compare across a second boundary.
  const render = (cuts: number[], includeUsage = true) =>
    translate(ANTHROPIC_STREAM, cuts, anthropicAdapter.translator as ProviderTranslator, createOpenAIStreamEncoder({ includeUsage })).map((f) =>
      f.replace(/"created":\d+/, '"created":0'),
    )

  it('renders role first, reasoning and content deltas, tool call announced then argument fragments, finish, usage, [DONE]', () => {
    const frames = parseFrames(render([]))
    const deltas = frames.slice(0, -3).map((f) => (f.data as { choices: { delta: unknown }[] }).choices[0]?.delta)
    expect(deltas).toEqual([
      { role: 'assistant', content: '', refusal: null },
      { reasoning_content: 'Hmm, ünï 🚀' },
      { content: 'Checking.' },
      { tool_calls: [{ index: 0, id: 'toolu_1', type: 'function', function: { name: 'get_weather', arguments: '' } }] },
      { tool_calls: [{ index: 0, function: { arguments: '{"city": "Par' } }] },
      { tool_calls: [{ index: 0, function: { arguments: 'is"}' } }] },
    ])
    expect(frames.at(-3)?.data).toMatchObject({ choices: [{ delta: {}, finish_reason: 'tool_calls' }], usage: null })
    expect(frames.at(-2)?.data).toMatchObject({ choices: [], usage: { prompt_tokens: 17, completion_tokens: 30, total_tokens: 47, prompt_tokens_details: { cached_tokens: 3 } } })
    expect(frames.at(-1)?.data).toBe('[DONE]')
  })

  it('sends no usage chunk (and no usage fields) when the client did not ask', () => {
    const frames = render([], false)
    expect(frames.some((f) => f.includes('"usage"'))).toBe(false)
    expect(frames.at(-1)).toBe('data: [DONE]\n\n')
  })

  it('renders the same events for 1-byte and random chunkings (property, 300 seeds)', () => {
    const expected = render([])
    expect(render(Array.from({ length: ANTHROPIC_STREAM.length - 1 }, (_, i) => i + 1))).toEqual(expected)
    for (let seed = 1; seed <= 300; seed++) expect(render(randomCuts(ANTHROPIC_STREAM.length, mulberry32(seed))), `seed ${seed}`).toEqual(expected)
  })
})
