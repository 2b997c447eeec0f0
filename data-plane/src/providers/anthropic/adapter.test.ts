import { sseEvent } from '../../upstream/sse.ts'
import { describe, expect, it } from 'vitest'
import type { RuntimeProvider } from '../../runtime/compile.ts'
import { emptyRequest } from '../../dialects/canonical.ts'
import { anthropicAdapter, DEFAULT_ANTHROPIC_VERSION } from './adapter.ts'

const provider: RuntimeProvider = {
  id: 'prov_2',
  teamId: 'team_1',
  name: 'anthropic',
  type: 'anthropic',
  baseUrl: 'http://127.0.0.1:9/anthropic/',
  apiKey: 'sk-ant-upstream',
  settings: {},
  timeouts: { connectMs: 1, firstByteMs: 1, idleMs: 1, totalMs: 1 },
}

const build = (clientHeaders: Record<string, string>, body: Record<string, unknown> = { model: 'anthropic/claude-x', max_tokens: 5 }) =>
  anthropicAdapter.buildChatRequest({ provider, body, upstreamModel: 'claude-x', stream: false, clientWantsUsage: false, accept: undefined, clientHeaders })

describe('anthropic adapter', () => {
  it('calls <baseUrl>/v1/messages with the provider key, replacing only the model', () => {
    const body = { model: 'anthropic/claude-x', max_tokens: 5, system: 'Be brief.', messages: [{ role: 'user', content: 'hi' }] }
    const request = build({ 'anthropic-version': '2023-01-01', 'anthropic-beta': 'a-2025,b-2025' }, body)
    expect(request.url.href).toBe('http://127.0.0.1:9/anthropic/v1/messages')
    expect(request.headers).toMatchObject({ 'x-api-key': 'sk-ant-upstream', 'anthropic-version': '2023-01-01', 'anthropic-beta': 'a-2025,b-2025' })
    expect(request.headers.authorization).toBeUndefined()
    expect(request.body).toBe(JSON.stringify({ ...body, model: 'claude-x' }))
    expect(body.model).toBe('anthropic/claude-x')
  })

  it('sends the default anthropic-version and no beta header when the client named none', () => {
    const request = build({})
    expect(request.headers['anthropic-version']).toBe(DEFAULT_ANTHROPIC_VERSION)
    expect(request.headers).not.toHaveProperty('anthropic-beta')
  })

  it('counts cache writes and reads into promptTokens and reads into cachedPromptTokens', () => {
    const facts = anthropicAdapter.readResponse({
      model: 'claude-x-2025',
      usage: { input_tokens: 10, output_tokens: 7, cache_creation_input_tokens: 100, cache_read_input_tokens: 1000 },
    })
    expect(facts).toEqual({
      model: 'claude-x-2025',
      usage: { promptTokens: 1110, completionTokens: 7, totalTokens: 1117, cachedPromptTokens: 1000, reasoningTokens: null },
    })
    expect(anthropicAdapter.readResponse({ type: 'error' })).toEqual({ model: null, usage: null })
  })

  it('merges message_start usage with the cumulative message_delta usage and ends at message_stop', () => {
    const reader = anthropicAdapter.createStreamReader()
    const start = { type: 'message_start', message: { model: 'claude-x-2025', usage: { input_tokens: 12, cache_read_input_tokens: 3, output_tokens: 1 } } }
    expect(reader.read(sseEvent(JSON.stringify(start), 'message_start'))).toEqual({ done: false, usageOnly: false })
    expect(reader.model).toBe('claude-x-2025')
    expect(reader.read(sseEvent('{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"hi"}}', 'content_block_delta')).done).toBe(false)
    reader.read(sseEvent('{"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":9}}', 'message_delta'))
    expect(reader.usage).toEqual({ promptTokens: 15, completionTokens: 9, totalTokens: 24, cachedPromptTokens: 3, reasoningTokens: null })
    expect(reader.read(sseEvent('{"type":"message_stop"}', 'message_stop'))).toEqual({ done: true, usageOnly: false })
  })

  it('reads an in-band error event as the status Anthropic would have answered with', () => {
    const reader = anthropicAdapter.createStreamReader()
    const event = (type: string) => JSON.stringify({ type: 'error', error: { type, message: 'x' } })
    expect(reader.read(sseEvent(event('overloaded_error'), 'error')).errorStatus).toBe(529)
    expect(reader.read(sseEvent(event('api_error'), 'error')).errorStatus).toBe(500)
    expect(reader.read(sseEvent(event('rate_limit_error'), 'error')).errorStatus).toBe(429)
    expect(reader.read(sseEvent(event('something_new'), 'error')).errorStatus).toBe(500)
  })
})

describe('anthropic translator (OpenAI clients)', () => {
  const translator = anthropicAdapter.translator
  if (!translator) throw new Error('anthropic adapter has a translator')

  it('reads a message with thinking, text and tool_use blocks, stop reason and usage (cache and thinking tokens)', () => {
    const response = translator.fromUpstream({
      id: 'msg_1',
      model: 'claude-x',
      content: [
        { type: 'thinking', thinking: 'hmm', signature: 'sig' },
        { type: 'text', text: 'Hi' },
        { type: 'server_tool_use', id: 'srv', name: 'web_search', input: {} },
        { type: 'tool_use', id: 'toolu_1', name: 'f', input: { a: 1 } },
      ],
      stop_reason: 'tool_use',
      stop_sequence: null,
      usage: { input_tokens: 10, output_tokens: 5, cache_creation_input_tokens: 2, cache_read_input_tokens: 3, output_tokens_details: { thinking_tokens: 4 } },
    })
    expect(response).toEqual({
      id: 'msg_1',
      model: 'claude-x',
      content: [{ type: 'thinking', text: 'hmm', signature: 'sig' }, { type: 'text', text: 'Hi' }, { type: 'tool_call', id: 'toolu_1', name: 'f', arguments: '{"a":1}' }],
      stopReason: 'tool_use',
      stopSequence: null,
      usage: { promptTokens: 15, completionTokens: 5, totalTokens: 20, cachedPromptTokens: 3, reasoningTokens: 4, cacheWriteTokens: 2 },
    })
  })

  it('reads errors by their Anthropic type (HTTP and in-band)', () => {
    const body = (type: string) => ({ type: 'error', error: { type, message: 'm' } })
    expect(translator.errorFromUpstream(529, body('overloaded_error'))).toEqual({ kind: 'overloaded', status: 529, message: 'm' })
    expect(translator.errorFromUpstream(429, body('rate_limit_error')).kind).toBe('rate_limit')
    expect(translator.errorFromUpstream(502, 'not json')).toMatchObject({ kind: 'api_error', status: 502 })
  })

  it('sends the default anthropic-version, the provider key and the translated body', () => {
    const request = translator.toUpstream({ provider, upstreamModel: 'claude-x', request: { ...emptyRequest(), messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }] } })
    expect(request.request.headers).toMatchObject({ 'x-api-key': 'sk-ant-upstream', 'anthropic-version': DEFAULT_ANTHROPIC_VERSION })
    expect(JSON.parse(String(request.request.body ?? ''))).toEqual({ model: 'claude-x', messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }], max_tokens: 4096 })
  })
})
