import { describe, expect, it } from 'vitest'
import { GatewayError } from '../../errors.ts'
import { toAnthropicBody } from '../../providers/anthropic/to-upstream.ts'
import { parseOpenAIRequest } from './request.ts'

// OpenAI client body → canonical → Anthropic body: the translation as a whole, feature by feature.

const PNG = 'iVBORw0KGgo='
const translate = (body: Record<string, unknown>) => {
  const parsed = parseOpenAIRequest({ model: 'anthropic/claude-x', ...body })
  const upstream = toAnthropicBody(parsed.request, 'claude-x')
  return { ...upstream, degraded: [...parsed.degraded, ...upstream.degraded], request: parsed.request }
}

describe('OpenAI request → Anthropic', () => {
  it('system, multi-turn, parallel tool calls and their results, images (URL and base64), stop, sampling', () => {
    const { body, degraded } = translate({
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'developer', content: [{ type: 'text', text: 'Use tools.' }] },
        { role: 'user', content: [{ type: 'text', text: 'Look' }, { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG}` } }, { type: 'image_url', image_url: { url: 'https://x/y.jpg' } }] },
        { role: 'assistant', content: null, tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'a', arguments: '{"x":1}' } },
          { id: 'call_2', type: 'function', function: { name: 'b', arguments: '' } },
        ] },
        { role: 'tool', tool_call_id: 'call_1', content: 'one' },
        { role: 'tool', tool_call_id: 'call_2', content: [{ type: 'text', text: 'two' }] },
        { role: 'user', content: 'and?' },
      ],
      max_completion_tokens: 100,
      temperature: 0.5,
      top_p: 0.9,
      stop: 'END',
      user: 'u-1',
    })
    expect(body).toEqual({
      model: 'claude-x',
      system: 'Be brief.\n\nUse tools.',
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'Look' }, { type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG } }, { type: 'image', source: { type: 'url', url: 'https://x/y.jpg' } }] },
        { role: 'assistant', content: [{ type: 'tool_use', id: 'call_1', name: 'a', input: { x: 1 } }, { type: 'tool_use', id: 'call_2', name: 'b', input: {} }] },
        { role: 'user', content: [
          { type: 'tool_result', tool_use_id: 'call_1', content: [{ type: 'text', text: 'one' }] },
          { type: 'tool_result', tool_use_id: 'call_2', content: [{ type: 'text', text: 'two' }] },
          { type: 'text', text: 'and?' },
        ] },
      ],
      max_tokens: 100,
      temperature: 0.5,
      top_p: 0.9,
      stop_sequences: ['END'],
      metadata: { user_id: 'u-1' },
    })
    expect(degraded).toEqual([])
  })

  it('tools, tool_choice, parallel_tool_calls, json_schema output, stream', () => {
    const parameters = { type: 'object', properties: { q: { type: 'string' } } }
    const { body } = translate({
      messages: [{ role: 'user', content: 'hi' }],
      tools: [{ type: 'function', function: { name: 'search', description: 'Find', parameters, strict: true } }],
      tool_choice: { type: 'function', function: { name: 'search' } },
      parallel_tool_calls: false,
      response_format: { type: 'json_schema', json_schema: { name: 'out', schema: parameters, strict: true } },
      stream: true,
      stream_options: { include_usage: true },
    })
    expect(body).toMatchObject({
      tools: [{ name: 'search', description: 'Find', input_schema: parameters, strict: true }],
      tool_choice: { type: 'tool', name: 'search', disable_parallel_tool_use: true },
      output_config: { format: { type: 'json_schema', schema: parameters } },
      stream: true,
      max_tokens: 4096,
    })
  })

  it('reasoning_effort → thinking budget within max_tokens; temperature dropped with thinking; json_object as an instruction', () => {
    const { body, degraded } = translate({ messages: [{ role: 'user', content: 'x' }], reasoning_effort: 'high', max_tokens: 2000, temperature: 0.2, response_format: { type: 'json_object' } })
    expect(body).toMatchObject({ max_tokens: 2000, thinking: { type: 'enabled', budget_tokens: 1999 } })
    expect(body.temperature).toBeUndefined()
    expect(String(body.system)).toContain('JSON object')
    expect(degraded).toEqual(['response_format=json_object (sent as an instruction)', 'temperature (not allowed with thinking)'])
  })

  it('names what it drops: seed, penalties, logit_bias, store, unknown fields; clamps temperature', () => {
    const { degraded, body } = translate({ messages: [{ role: 'user', content: 'x' }], seed: 1, presence_penalty: 1, frequency_penalty: 0, logit_bias: { 1: 2 }, store: true, temperature: 1.5, store_false: false })
    expect(body.temperature).toBe(1)
    expect(degraded).toEqual(['logit_bias', 'store', 'temperature (clamped to 1)', 'seed', 'presence_penalty'])
  })

  it('refuses n > 1, logprobs, audio, files, legacy functions and custom tools with a 400 naming the parameter', () => {
    const refused: [Record<string, unknown>, string][] = [
      [{ n: 2 }, 'n'],
      [{ logprobs: true }, 'logprobs'],
      [{ modalities: ['audio'] }, 'modalities'],
      [{ functions: [] }, 'functions'],
      [{ tools: [{ type: 'custom', custom: { name: 'x' } }] }, 'tools.0'],
      [{ messages: [{ role: 'user', content: [{ type: 'input_audio', input_audio: { data: '', format: 'wav' } }] }] }, 'messages.0.content.0'],
    ]
    for (const [extra, param] of refused) {
      const error = (() => {
        try {
          parseOpenAIRequest({ model: 'm', messages: [{ role: 'user', content: 'x' }], ...extra })
        } catch (err) {
          return err
        }
      })()
      expect(error, param).toBeInstanceOf(GatewayError)
      expect((error as GatewayError).code).toBe('SY_ERR_REQUEST_UNTRANSLATABLE')
      expect((error as GatewayError).options.param).toBe(param)
    }
  })

  it('400s a body of the wrong shape, naming the field', () => {
    expect(() => parseOpenAIRequest({ model: 'm', messages: 'hi' })).toThrow(/'messages'/)
  })
})
