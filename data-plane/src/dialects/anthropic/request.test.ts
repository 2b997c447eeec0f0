import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { GatewayError } from '../../errors.ts'
import { toOpenAIBody } from '../../providers/openai/to-upstream.ts'
import { parseAnthropicRequest } from './request.ts'

// Anthropic client body → canonical → OpenAI body: the translation as a whole, feature by feature.

const translate = (body: Record<string, unknown>, providerType: 'openai' | 'openai-compatible' = 'openai-compatible', upstreamModel = 'gpt') => {
  const parsed = parseAnthropicRequest({ model: 'fake/gpt', max_tokens: 50, ...body })
  const upstream = toOpenAIBody(parsed.request, { upstreamModel, providerType })
  return { ...upstream, degraded: [...parsed.degraded, ...upstream.degraded] }
}

describe('Anthropic request → OpenAI', () => {
  it('system, multi-turn, parallel tool_use and tool_result, images (base64 and URL), stop, sampling', () => {
    const { body, degraded } = translate({
      system: 'Be brief.',
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'Look' }, { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'AAAA' } }, { type: 'image', source: { type: 'url', url: 'https://x/y.jpg' } }] },
        { role: 'assistant', content: [{ type: 'text', text: 'Calling.' }, { type: 'tool_use', id: 't1', name: 'a', input: { x: 1 } }, { type: 'tool_use', id: 't2', name: 'b', input: {} }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: 'one' }, { type: 'tool_result', tool_use_id: 't2', content: [{ type: 'text', text: 'two' }] }, { type: 'text', text: 'and?' }] },
      ],
      stop_sequences: ['END'],
      temperature: 0.3,
      metadata: { user_id: 'u-1' },
    })
    expect(body).toEqual({
      model: 'gpt',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: [{ type: 'text', text: 'Look' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } }, { type: 'image_url', image_url: { url: 'https://x/y.jpg' } }] },
        { role: 'assistant', content: 'Calling.', tool_calls: [{ id: 't1', type: 'function', function: { name: 'a', arguments: '{"x":1}' } }, { id: 't2', type: 'function', function: { name: 'b', arguments: '{}' } }] },
        { role: 'tool', tool_call_id: 't1', content: 'one' },
        { role: 'tool', tool_call_id: 't2', content: 'two' },
        { role: 'user', content: 'and?' },
      ],
      max_tokens: 50,
      temperature: 0.3,
      user: 'u-1',
      stop: ['END'],
    })
    expect(degraded).toEqual([])
  })

  it('tools, tool_choice any + disable_parallel_tool_use, structured output, stream asks for usage', () => {
    const schema = { type: 'object', properties: {} }
    const { body } = translate({
      messages: [{ role: 'user', content: 'x' }],
      tools: [{ name: 'f', description: 'd', input_schema: schema }],
      tool_choice: { type: 'any', disable_parallel_tool_use: true },
      output_config: { format: { type: 'json_schema', schema } },
      stream: true,
    }, 'openai')
    expect(body).toMatchObject({
      max_completion_tokens: 50,
      tools: [{ type: 'function', function: { name: 'f', description: 'd', parameters: schema } }],
      tool_choice: 'required',
      parallel_tool_calls: false,
      response_format: { type: 'json_schema', json_schema: { name: 'response', schema, strict: true } },
      stream: true,
      stream_options: { include_usage: true },
    })
  })

  it('thinking → reasoning_effort; thinking blocks sent back, top_k and cache_control are dropped and named', () => {
    const { body, degraded } = translate({
      thinking: { type: 'enabled', budget_tokens: 20000 },
      top_k: 3,
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'x', cache_control: { type: 'ephemeral' } }] },
        { role: 'assistant', content: [{ type: 'thinking', thinking: 'hm', signature: 's' }, { type: 'text', text: 'y' }] },
        { role: 'user', content: 'z' },
      ],
    })
    expect(body.reasoning_effort).toBe('high')
    expect(degraded).toEqual(['thinking blocks', 'thinking.budget_tokens (sent as reasoning_effort=high)', 'top_k', 'cache_control'])
  })

  it("Claude Code's reasoning (adaptive thinking + output_config.effort) → reasoning_effort; dropped and named for models that do not reason", () => {
    const claudeCode = { thinking: { type: 'adaptive', display: 'omitted' }, output_config: { effort: 'high' }, messages: [{ role: 'user', content: 'x' }] }
    for (const model of ['gpt-5', 'o4-mini', 'deepseek-reasoner']) {
      const { body, degraded } = translate(claudeCode, 'openai', model)
      expect(body.reasoning_effort).toBe('high')
      expect(degraded).toEqual([])
    }
    for (const model of ['gpt-4o', 'gpt-4.1-mini', 'openai/gpt-4o-mini', 'gpt-3.5-turbo']) {
      const { body, degraded } = translate({ ...claudeCode, thinking: { type: 'enabled', budget_tokens: 4000 } }, 'openai', model)
      expect(body).not.toHaveProperty('reasoning_effort')
      expect(degraded).toEqual(['reasoning (the model takes no reasoning_effort)'])
    }
    expect(translate({ ...claudeCode, output_config: { effort: 'max' } }, 'openai', 'gpt-5').degraded).toEqual(['output_config.effort=max (sent as high)'])
  })

  it("metadata.user_id over OpenAI's 64 characters (Claude Code's JSON one) goes as its SHA-256, named", () => {
    const userId = JSON.stringify({ device_id: 'd'.repeat(64), account_uuid: '', session_id: '00000000-0000-4000-8000-000000000000' })
    const long = translate({ metadata: { user_id: userId }, messages: [{ role: 'user', content: 'x' }] })
    expect(long.body.user).toBe(createHash('sha256').update(userId).digest('hex'))
    expect(long.degraded).toEqual(['metadata.user_id (over 64 characters: sent as its SHA-256)'])
    expect(translate({ metadata: { user_id: 'u'.repeat(64) }, messages: [{ role: 'user', content: 'x' }] }).body.user).toBe('u'.repeat(64))
  })

  it('refuses server tools, documents, Files API images and MCP servers; requires max_tokens', () => {
    const refused: Record<string, unknown>[] = [
      { tools: [{ type: 'web_search_20250305', name: 'web_search' }] },
      { messages: [{ role: 'user', content: [{ type: 'document', source: {} }] }] },
      { messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'file', file_id: 'f' } }] }] },
      { mcp_servers: [{}] },
    ]
    for (const extra of refused) {
      expect(() => parseAnthropicRequest({ model: 'm', max_tokens: 5, messages: [{ role: 'user', content: 'x' }], ...extra })).toThrow(GatewayError)
    }
    expect(() => parseAnthropicRequest({ model: 'm', messages: [] })).toThrow(/'max_tokens'/)
  })
})
