import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { toOpenAIBody } from '../../providers/openai/to-upstream.ts'
import recorded from './fixtures/claude-code-first-request.json' with { type: 'json' }
import { parseAnthropicRequest } from './request.ts'

// Issue #11: Claude Code's own first request (recorded, fixtures/), translated for an OpenAI
// chat upstream: every field is carried, dropped by name, or (none here) refused.

type Body = Record<string, unknown>
const body = recorded.body as Body & typeof recorded.body

function translate(request: Body, upstreamModel = 'gpt-5') {
  const parsed = parseAnthropicRequest(request)
  const upstream = toOpenAIBody(parsed.request, { upstreamModel, providerType: 'openai' })
  return { body: upstream.body, degraded: [...parsed.degraded, ...upstream.degraded] }
}

const texts = (blocks: { text: string }[]) => blocks.map((b) => b.text).join('')

describe("Claude Code's first request → OpenAI chat", () => {
  it('is recorded as Claude Code sends it: ?beta=true, betas, adaptive thinking, effort, context_management, 24 tools, a mid-conversation system message', () => {
    expect(recorded.url).toBe('/v1/messages?beta=true')
    expect(recorded.headers['anthropic-beta']).toContain('context-management-2025-06-27')
    expect(body.thinking).toEqual({ type: 'adaptive', display: 'updates' })
    expect(body.output_config).toEqual({ effort: 'high' })
    expect(body.context_management).toEqual({ edits: [{ type: 'clear_thinking_20251015', keep: 'all' }] })
    expect(body.tools).toHaveLength(24)
    expect(body.messages.map((m) => m.role)).toEqual(['user', 'system'])
    expect(body.system.map((b) => 'cache_control' in b)).toEqual([false, true, true])
  })

  it('translates whole: system prompts and the mid-conversation system message in place, 24 functions, reasoning_effort, usage asked for', () => {
    const { body: upstream, degraded } = translate(body)
    const [first, midConversation] = body.messages
    expect(Object.keys(upstream).sort()).toEqual(['max_completion_tokens', 'messages', 'model', 'reasoning_effort', 'stream', 'stream_options', 'tools', 'user'])
    expect(upstream.messages).toEqual([
      ...body.system.map((block) => ({ role: 'system', content: block.text })),
      { role: 'user', content: texts(first?.content ?? []) },
      { role: 'system', content: texts(midConversation?.content ?? []) },
    ])
    expect(upstream.tools).toEqual(body.tools.map((tool) => ({ type: 'function', function: { name: tool.name, description: tool.description, parameters: tool.input_schema } })))
    expect(upstream).toMatchObject({ model: 'gpt-5', max_completion_tokens: 32000, reasoning_effort: 'high', stream: true, stream_options: { include_usage: true } })
    expect(upstream.user).toBe(createHash('sha256').update(body.metadata.user_id).digest('hex'))
    expect(degraded).toEqual([
      'context_management (clear_thinking_20251015 keep=all: nothing to clear)',
      'safeguards (not run by this provider)',
      'metadata.user_id (over 64 characters: sent as its SHA-256)',
      'cache_control',
    ])
  })

  it('for a model that does not reason, reasoning is dropped and named instead of refused upstream', () => {
    const { body: upstream, degraded } = translate(body, 'gpt-4.1')
    expect(upstream).not.toHaveProperty('reasoning_effort')
    expect(degraded).toContain('reasoning (the model takes no reasoning_effort)')
  })

  it("tool search (Claude Code's default): a deferred tool is sent up front, a tool_reference result as text", () => {
    // The follow-up Claude Code 2.1.332 sent after a ToolSearch call, as recorded (default settings).
    const followUp = {
      ...body,
      tools: [...body.tools, { name: 'WebFetch2', description: 'Fetch a URL.', input_schema: { type: 'object', properties: { url: { type: 'string' } } }, defer_loading: true }],
      messages: [
        ...body.messages,
        { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_01', name: 'ToolSearch', input: { query: 'select:WebFetch2', max_results: 5 } }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_01', content: [{ type: 'tool_reference', tool_name: 'WebFetch2' }], cache_control: { type: 'ephemeral' } }] },
      ],
    }
    const { body: upstream, degraded } = translate(followUp)
    expect((upstream.tools as { function: { name: string } }[]).at(-1)?.function.name).toBe('WebFetch2')
    expect((upstream.messages as unknown[]).slice(-2)).toEqual([
      { role: 'assistant', content: null, tool_calls: [{ id: 'toolu_01', type: 'function', function: { name: 'ToolSearch', arguments: '{"query":"select:WebFetch2","max_results":5}' } }] },
      { role: 'tool', tool_call_id: 'toolu_01', content: "Tool 'WebFetch2' is loaded and can be called." },
    ])
    expect(degraded).toEqual(expect.arrayContaining(['tools.defer_loading (sent up front)', 'tool_reference (sent as text: deferred tools are sent up front)']))
  })
})
