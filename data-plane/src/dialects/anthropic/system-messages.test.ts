import { describe, expect, it } from 'vitest'
import { GatewayError } from '../../errors.ts'
import { toAnthropicBody } from '../../providers/anthropic/to-upstream.ts'
import { toConverseBody } from '../../providers/bedrock/to-upstream.ts'
import { toGeminiBody } from '../../providers/google/to-upstream.ts'
import { toOpenAIBody } from '../../providers/openai/to-upstream.ts'
import { parseAnthropicRequest } from './request.ts'

// Issue #11: a `role: "system"` message inside `messages` (Anthropic's mid-conversation system
// messages; Claude Code sends one on its first request) is a system message at that point for
// OpenAI chat; Gemini and Bedrock have only a leading system prompt, so it joins that, named.

const conversation = {
  model: 'fake/gpt',
  max_tokens: 50,
  system: 'Lead.',
  messages: [
    { role: 'user', content: 'one' },
    { role: 'system', content: [{ type: 'text', text: 'Now answer in French.', cache_control: { type: 'ephemeral' } }] },
    { role: 'assistant', content: 'un' },
    { role: 'user', content: 'two' },
    { role: 'system', content: 'Be brief.' },
  ],
}
const MOVED = 'system message position (moved to the system prompt)'

describe('Anthropic mid-conversation system messages', () => {
  it('OpenAI chat: a system message at each position, after the leading system prompt', () => {
    const parsed = parseAnthropicRequest(conversation)
    const { body, degraded } = toOpenAIBody(parsed.request, { upstreamModel: 'gpt-5', providerType: 'openai' })
    expect(body.messages).toEqual([
      { role: 'system', content: 'Lead.' },
      { role: 'user', content: 'one' },
      { role: 'system', content: 'Now answer in French.' },
      { role: 'assistant', content: 'un' },
      { role: 'user', content: 'two' },
      { role: 'system', content: 'Be brief.' },
    ])
    // The system block's cache_control is the only thing dropped.
    expect([...parsed.degraded, ...degraded]).toEqual(['cache_control'])
  })

  it('after a tool result: the tool message, then the system message', () => {
    const parsed = parseAnthropicRequest({
      model: 'fake/gpt',
      max_tokens: 50,
      messages: [
        { role: 'user', content: 'go' },
        { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'f', input: {} }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: 'done' }] },
        { role: 'system', content: [{ type: 'text', text: 'Tools changed.' }, { type: 'text', text: ' Check again.' }] },
      ],
    })
    const { body } = toOpenAIBody(parsed.request, { upstreamModel: 'gpt-5', providerType: 'openai' })
    expect((body.messages as { role: string }[]).map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'system'])
    expect((body.messages as { content: unknown }[])[3]?.content).toBe('Tools changed. Check again.')
  })

  it('Gemini: joins systemInstruction in order, named', () => {
    const { body, degraded } = toGeminiBody(parseAnthropicRequest(conversation).request)
    expect(body.systemInstruction).toEqual({ parts: [{ text: 'Lead.' }, { text: 'Now answer in French.' }, { text: 'Be brief.' }] })
    expect(body.contents).toEqual([
      { role: 'user', parts: [{ text: 'one' }] },
      { role: 'model', parts: [{ text: 'un' }] },
      { role: 'user', parts: [{ text: 'two' }] },
    ])
    expect(degraded).toContain(MOVED)
  })

  it('Bedrock: joins the top-level system in order, named; turns still alternate', () => {
    const { body, degraded } = toConverseBody(parseAnthropicRequest(conversation).request, 'anthropic.claude-x')
    expect(body.system).toEqual([{ text: 'Lead.' }, { text: 'Now answer in French.' }, { text: 'Be brief.' }])
    expect((body.messages as { role: string }[]).map((m) => m.role)).toEqual(['user', 'assistant', 'user'])
    expect(degraded).toContain(MOVED)
  })

  it('Anthropic (a translated request): joins the top-level system, named', () => {
    const { body, degraded } = toAnthropicBody(parseAnthropicRequest(conversation).request, 'claude-x')
    expect(body.system).toBe('Lead.\n\nNow answer in French.\n\nBe brief.')
    expect(degraded).toEqual([MOVED])
  })

  it('a request without one changes nothing and names nothing', () => {
    const plain = { ...conversation, messages: [{ role: 'user', content: 'one' }] }
    expect(toGeminiBody(parseAnthropicRequest(plain).request).degraded).toEqual([])
    expect(toConverseBody(parseAnthropicRequest(plain).request, 'm').degraded).toEqual([])
  })

  it('refuses blocks other than text in a system message (mid-conversation tool changes), and a text block without text', () => {
    const withBlock = (block: Record<string, unknown>) => () => parseAnthropicRequest({ ...conversation, messages: [{ role: 'user', content: 'x' }, { role: 'system', content: [block] }] })
    expect(withBlock({ type: 'tool_addition', tool: { type: 'tool_reference', name: 'Bash' } })).toThrow(/'messages.1.content.0': a 'tool_addition' block in a system message cannot be translated/)
    const err = (() => {
      try {
        withBlock({ type: 'text' })()
      } catch (e) {
        return e
      }
      return null
    })()
    expect(err).toBeInstanceOf(GatewayError)
    expect((err as GatewayError).code).toBe('SY_ERR_REQUEST_INVALID')
  })
})
