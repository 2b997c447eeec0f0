import { describe, expect, it } from 'vitest'
import { StreamedText } from './streamed-text.ts'

function read(frames: string[]): string {
  const streamed = new StreamedText()
  for (const frame of frames) streamed.add(Buffer.from(frame))
  return streamed.read().text
}

describe('StreamedText: the generated text a client was sent', () => {
  it('reads OpenAI chat deltas, tool-call arguments and reasoning, split across writes anywhere', () => {
    const chunk = (delta: unknown) => `data: ${JSON.stringify({ id: 'c', model: 'm', choices: [{ index: 0, delta, finish_reason: null }] })}\n\n`
    const all = [chunk({ role: 'assistant', content: '' }), chunk({ content: 'Hel' }), chunk({ reasoning_content: '(think)' }), chunk({ tool_calls: [{ index: 0, function: { name: 'f', arguments: '{"a":' } }] }), 'data: [DONE]\n\n'].join('')
    expect(read([all.slice(0, 37), all.slice(37, 200), all.slice(200)])).toBe('Hel(think){"a":')
  })

  it('reads Anthropic text, thinking and tool input deltas, not ids, types or names', () => {
    const ev = (type: string, data: unknown) => `event: ${type}\ndata: ${JSON.stringify(data)}\n\n`
    const frames = [
      ev('message_start', { type: 'message_start', message: { id: 'msg_1', role: 'assistant', model: 'claude', content: [], usage: { input_tokens: 5, output_tokens: 1 } } }),
      ev('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }),
      ev('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hi there' } }),
      ev('content_block_delta', { type: 'content_block_delta', index: 1, delta: { type: 'thinking_delta', thinking: ' hmm' } }),
      ev('content_block_delta', { type: 'content_block_delta', index: 2, delta: { type: 'input_json_delta', partial_json: '{"x":1}' } }),
    ]
    expect(read(frames)).toBe('Hi there hmm{"x":1}')
  })

  it('reads Responses API deltas once (its `.done` events repeat them)', () => {
    const ev = (data: { type: string } & Record<string, unknown>) => `event: ${data.type}\ndata: ${JSON.stringify(data)}\n\n`
    const frames = [ev({ type: 'response.output_text.delta', delta: 'One ' }), ev({ type: 'response.output_text.delta', delta: 'two' }), ev({ type: 'response.output_text.done', text: 'One two' })]
    expect(read(frames)).toBe('One two')
  })

  it('keeps a bounded prefix and scales for the rest', () => {
    const streamed = new StreamedText()
    const frame = `data: ${JSON.stringify({ choices: [{ delta: { content: 'x'.repeat(1000) } }] })}\n\n`
    for (let i = 0; i < 1000; i++) streamed.add(frame)
    const { text, scale } = streamed.read()
    expect(text.length).toBeLessThan(40_000)
    // The last kept frame may be cut mid-event (not read): within a few percent.
    expect((text.length * scale) / 1000).toBeGreaterThan(950)
    expect((text.length * scale) / 1000).toBeLessThanOrEqual(1000)
  })
})
