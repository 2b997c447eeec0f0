import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { GatewayError } from '../../errors.ts'
import { anthropicAdapter } from '../../providers/anthropic/adapter.ts'
import type { ProviderTranslator } from '../../providers/types.ts'
import { SseDecoder } from '../../upstream/sse.ts'
import { parseResponsesRequest } from './request.ts'
import { ResponsesStreamEncoder } from './stream.ts'
import { mulberry32, randomCuts } from '../../testing/rechunk.ts'

// A recorded Anthropic stream (thinking with signature, text, a tool call) rendered in the
// Responses streaming grammar: the exact events, numbered 0…n, and the same events however the
// upstream bytes are chunked (property, seeded). `created_at` is normalized (the encoder's clock).

const STREAM = readFileSync(new URL('../../providers/anthropic/fixtures/thinking-tool.stream.txt', import.meta.url))
const translator = anthropicAdapter.translator as ProviderTranslator

function render(cuts: number[], encoder = new ResponsesStreamEncoder(undefined)): string[] {
  const sse = new SseDecoder()
  const decoder = translator.createStreamDecoder()
  const frames: string[] = []
  let from = 0
  for (const cut of [...cuts, STREAM.length]) {
    const events = sse.push(STREAM.subarray(from, cut))
    from = cut
    for (const event of events) {
      if (event.data === null) continue
      for (const e of decoder.decode(event.data, event.event).events) frames.push(...encoder.encode(e))
    }
  }
  return frames.map((f) => f.replace(/"created_at":\d+/g, '"created_at":0'))
}



interface Frame {
  event: string
  data: { type: string; sequence_number: number } & Record<string, unknown>
}
const parse = (frames: string[]): Frame[] =>
  frames.map((f) => ({ event: f.slice('event: '.length, f.indexOf('\n')), data: JSON.parse(f.slice(f.indexOf('data: ') + 6)) as Frame['data'] }))

describe('Anthropic upstream stream → Responses API streaming grammar', () => {
  it('renders the documented events in order, numbered from 0, with items, deltas and the completed response', () => {
    const frames = parse(render([]))
    expect(frames.every((f) => f.event === f.data.type && f.data.sequence_number === frames.indexOf(f))).toBe(true)
    expect(frames.map((f) => f.event)).toEqual([
      'response.created', 'response.in_progress',
      'response.output_item.added', 'response.content_part.added', 'response.reasoning_text.delta',
      'response.reasoning_text.done', 'response.content_part.done', 'response.output_item.done',
      'response.output_item.added', 'response.content_part.added', 'response.output_text.delta',
      'response.output_text.done', 'response.content_part.done', 'response.output_item.done',
      'response.output_item.added', 'response.function_call_arguments.delta', 'response.function_call_arguments.delta',
      'response.function_call_arguments.done', 'response.output_item.done',
      'response.completed',
    ])
    expect(frames[0]?.data.response).toMatchObject({ id: 'resp_msg1', object: 'response', status: 'in_progress', model: 'claude-x-2025', output: [] })
    expect(frames[10]?.data).toEqual({ type: 'response.output_text.delta', sequence_number: 10, item_id: 'msg_msg11', output_index: 1, content_index: 0, delta: 'Checking.', logprobs: [] })
    expect(frames[14]?.data.item).toEqual({ id: 'fc_msg12', type: 'function_call', status: 'in_progress', call_id: 'toolu_1', name: 'get_weather', arguments: '' })
    expect(frames[17]?.data).toMatchObject({ item_id: 'fc_msg12', output_index: 2, name: 'get_weather', arguments: '{"city": "Paris"}' })
    const completed = frames.at(-1)?.data.response
    expect(completed).toMatchObject({
      status: 'completed',
      output: [
        { type: 'reasoning', id: 'rs_msg10', content: [{ type: 'reasoning_text', text: 'Hmm, ünï 🚀' }], encrypted_content: 'sig_abc', status: 'completed' },
        { type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: 'Checking.', annotations: [] }] },
        { type: 'function_call', call_id: 'toolu_1', name: 'get_weather', arguments: '{"city": "Paris"}', status: 'completed' },
      ],
    })
    expect((completed as { usage: unknown }).usage).toEqual({
      input_tokens: 17,
      input_tokens_details: { cached_tokens: 3 },
      output_tokens: 30,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: 47,
    })
  })

  it('renders the same events for 1-byte and random chunkings (property, 300 seeds)', () => {
    const expected = render([])
    expect(render(Array.from({ length: STREAM.length - 1 }, (_, i) => i + 1))).toEqual(expected)
    for (let seed = 1; seed <= 300; seed++) expect(render(randomCuts(STREAM.length, mulberry32(seed))), `seed ${seed}`).toEqual(expected)
  })

  it('echoes the request settings and numbers the terminal error after the last event', () => {
    const { request } = parseResponsesRequest({ model: 'm', input: 'x', instructions: 'Be brief.', temperature: 0.3, text: { format: { type: 'json_object' } } })
    const encoder = new ResponsesStreamEncoder(request)
    const frames = render([], encoder)
    expect(parse(frames)[0]?.data.response).toMatchObject({ instructions: 'Be brief.', temperature: 0.3, text: { format: { type: 'json_object' } }, store: false })
    const error = encoder.encodeGatewayError(new GatewayError('SY_ERR_UPSTREAM_TIMEOUT', 'late'))
    expect(error).toBe(`event: error\ndata: {"type":"error","code":"upstream_timeout","message":"late","param":null,"sequence_number":${frames.length}}\n\n`)
  })

  it('ends with response.incomplete when the output was cut by max tokens, and renders an upstream error event', () => {
    const encoder = new ResponsesStreamEncoder(undefined)
    const frames = parse([
      ...encoder.encode({ type: 'message_start', id: 'x', model: 'm', usage: null }),
      ...encoder.encode({ type: 'message_delta', stopReason: 'max_tokens', stopSequence: null, usage: null }),
      ...encoder.encode({ type: 'message_stop' }),
      ...encoder.encode({ type: 'error', error: { kind: 'overloaded', status: 529, message: 'busy' } }),
    ])
    expect(frames[2]).toMatchObject({ event: 'response.incomplete', data: { response: { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } } } })
    expect(frames[3]).toEqual({ event: 'error', data: { type: 'error', code: 'overloaded', message: 'busy', param: null, sequence_number: 3 } })
  })
})
