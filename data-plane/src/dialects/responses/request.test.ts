import { describe, expect, it } from 'vitest'
import { GatewayError } from '../../errors.ts'
import { toAnthropicBody } from '../../providers/anthropic/to-upstream.ts'
import { parseResponsesRequest } from './request.ts'
import { renderResponsesResponse } from './response.ts'

// A Responses API body → canonical → an Anthropic body (the translation as a whole), and the
// canonical answer → a Responses object.

const PNG = 'iVBORw0KGgo='
const translate = (body: Record<string, unknown>) => {
  const parsed = parseResponsesRequest({ model: 'anthropic/claude-x', ...body })
  const upstream = toAnthropicBody(parsed.request, 'claude-x')
  return { ...upstream, degraded: [...parsed.degraded, ...upstream.degraded], request: parsed.request }
}

function refusal(body: Record<string, unknown>): GatewayError {
  try {
    parseResponsesRequest({ model: 'm', input: 'x', ...body })
  } catch (err) {
    if (err instanceof GatewayError) return err
  }
  throw new Error('not refused')
}

describe('Responses request → Anthropic', () => {
  it('instructions, message items with text and images, reasoning, function calls and outputs, sampling', () => {
    const { body, degraded } = translate({
      instructions: 'Be brief.',
      input: [
        { role: 'developer', content: 'Use tools.' },
        { role: 'user', content: [{ type: 'input_text', text: 'Look' }, { type: 'input_image', image_url: `data:image/png;base64,${PNG}`, detail: 'low' }, { type: 'input_image', image_url: 'https://x/y.jpg' }] },
        { type: 'reasoning', id: 'rs_1', summary: [], content: [{ type: 'reasoning_text', text: 'think' }], encrypted_content: 'sig' },
        { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Checking.', annotations: [] }] },
        { type: 'function_call', id: 'fc_1', call_id: 'call_1', name: 'a', arguments: '{"x":1}', status: 'completed' },
        { type: 'function_call', call_id: 'call_2', name: 'b', arguments: '' },
        { type: 'function_call_output', call_id: 'call_1', output: 'one' },
        { type: 'function_call_output', call_id: 'call_2', output: [{ type: 'input_text', text: 'two' }] },
        { role: 'user', content: 'and?' },
      ],
      max_output_tokens: 100,
      temperature: 0.5,
      top_p: 0.9,
      user: 'u-1',
      store: false,
    })
    expect(body).toEqual({
      model: 'claude-x',
      system: 'Be brief.\n\nUse tools.',
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'Look' }, { type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG } }, { type: 'image', source: { type: 'url', url: 'https://x/y.jpg' } }] },
        { role: 'assistant', content: [
          { type: 'thinking', thinking: 'think', signature: 'sig' },
          { type: 'text', text: 'Checking.' },
          { type: 'tool_use', id: 'call_1', name: 'a', input: { x: 1 } },
          { type: 'tool_use', id: 'call_2', name: 'b', input: {} },
        ] },
        { role: 'user', content: [
          { type: 'tool_result', tool_use_id: 'call_1', content: [{ type: 'text', text: 'one' }] },
          { type: 'tool_result', tool_use_id: 'call_2', content: [{ type: 'text', text: 'two' }] },
          { type: 'text', text: 'and?' },
        ] },
      ],
      max_tokens: 100,
      temperature: 0.5,
      top_p: 0.9,
      metadata: { user_id: 'u-1' },
    })
    // Anthropic has no image `detail` hint (the adapter names it in its Chat Completions terms).
    expect(degraded).toEqual(['image_url.detail'])
  })

  it('function tools, tool_choice, parallel_tool_calls, text.format json_schema, reasoning effort, stream', () => {
    const parameters = { type: 'object', properties: { q: { type: 'string' } } }
    const { body, request } = translate({
      input: 'hi',
      tools: [{ type: 'function', name: 'search', description: 'Find', parameters, strict: true }],
      tool_choice: { type: 'function', name: 'search' },
      parallel_tool_calls: false,
      text: { format: { type: 'json_schema', name: 'out', schema: parameters, strict: true } },
      stream: true,
    })
    expect(body).toMatchObject({
      tools: [{ name: 'search', description: 'Find', input_schema: parameters, strict: true }],
      tool_choice: { type: 'tool', name: 'search', disable_parallel_tool_use: true },
      output_config: { format: { type: 'json_schema', schema: parameters } },
      stream: true,
    })
    expect(request.streamUsage).toBe(true)
    expect(parseResponsesRequest({ model: 'm', input: 'x', reasoning: { effort: 'high' } }).request.reasoning).toEqual({ effort: 'high', budgetTokens: null })
  })

  it('names what it drops: store, metadata, reasoning.summary, unknown fields (not their defaults)', () => {
    const { degraded } = parseResponsesRequest({ model: 'm', input: 'x', store: true, metadata: { a: 'b' }, reasoning: { effort: 'low', summary: 'auto' }, truncation: 'disabled', service_tier: 'flex' })
    expect(degraded).toEqual(['reasoning.summary', 'store', 'metadata', 'service_tier'])
  })

  it('refuses state, built-in tools and untranslatable input with a 400 naming the parameter', () => {
    const refused: [Record<string, unknown>, string][] = [
      [{ previous_response_id: 'resp_1' }, 'previous_response_id'],
      [{ conversation: 'conv_1' }, 'conversation'],
      [{ background: true }, 'background'],
      [{ tools: [{ type: 'web_search' }] }, 'tools.0'],
      [{ tools: [{ type: 'function', name: 'f' }, { type: 'file_search', vector_store_ids: [] }] }, 'tools.1'],
      [{ tools: [{ type: 'computer_use_preview' }] }, 'tools.0'],
      [{ tool_choice: { type: 'web_search_preview' } }, 'tool_choice'],
      [{ input: [{ type: 'item_reference', id: 'msg_1' }] }, 'input.0.type'],
      [{ input: [{ type: 'web_search_call', id: 'ws_1' }] }, 'input.0.type'],
      [{ input: [{ role: 'user', content: [{ type: 'input_file', file_id: 'f' }] }] }, 'input.0.content.0'],
      [{ input: [{ role: 'user', content: [{ type: 'input_image', file_id: 'f' }] }] }, 'input.0.content.0'],
    ]
    for (const [extra, param] of refused) {
      const error = refusal(extra)
      expect(error.code, param).toBe('SY_ERR_REQUEST_UNTRANSLATABLE')
      expect(error.options.param).toBe(param)
    }
    expect(refusal({ previous_response_id: 'resp_1' }).message).toContain('server-side conversation state')
  })

  it('400s a body of the wrong shape, naming the field', () => {
    expect(refusal({ input: 42 }).options.param).toBe('input')
    expect(refusal({ input: [{ type: 'function_call', name: 'x' }] })).toMatchObject({ code: 'SY_ERR_REQUEST_INVALID', options: { param: 'input.0.call_id' } })
  })
})

describe('canonical response → Responses object', () => {
  it('renders items, usage, and incomplete_details for a max-tokens stop', () => {
    const rendered = renderResponsesResponse({
      id: 'msg_9',
      model: 'claude-x',
      content: [
        { type: 'redacted_thinking', data: 'opaque' },
        { type: 'text', text: 'Hi' },
        { type: 'tool_call', id: 'toolu_1', name: 'f', arguments: '{}' },
      ],
      stopReason: 'max_tokens',
      stopSequence: null,
      usage: { promptTokens: 10, completionTokens: 5, totalTokens: 15, cachedPromptTokens: 4, reasoningTokens: 2, cacheWriteTokens: null },
    })
    expect(rendered).toMatchObject({
      id: 'resp_msg9',
      object: 'response',
      status: 'incomplete',
      incomplete_details: { reason: 'max_output_tokens' },
      model: 'claude-x',
      output: [
        { id: 'rs_msg90', type: 'reasoning', summary: [], encrypted_content: 'sy-redacted:opaque' },
        { id: 'msg_msg91', type: 'message', role: 'assistant', status: 'incomplete', content: [{ type: 'output_text', text: 'Hi', annotations: [] }] },
        { id: 'fc_msg92', type: 'function_call', call_id: 'toolu_1', name: 'f', arguments: '{}', status: 'completed' },
      ],
      usage: { input_tokens: 10, input_tokens_details: { cached_tokens: 4 }, output_tokens: 5, output_tokens_details: { reasoning_tokens: 2 }, total_tokens: 15 },
    })
    const redacted = parseResponsesRequest({ model: 'm', input: [{ type: 'reasoning', summary: [], encrypted_content: 'sy-redacted:opaque' }] }).request.messages
    expect(redacted).toEqual([{ role: 'assistant', content: [{ type: 'redacted_thinking', data: 'opaque' }] }])
  })
})
