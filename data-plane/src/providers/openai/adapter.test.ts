import { sseEvent } from '../../upstream/sse.ts'
import { describe, expect, it } from 'vitest'
import type { RuntimeProvider } from '../../runtime/compile.ts'
import { openaiAdapter } from './adapter.ts'

const provider: RuntimeProvider = {
  id: 'prov_1',
  teamId: 'team_1',
  name: 'fake',
  type: 'openai',
  baseUrl: 'http://127.0.0.1:9/openai/v1/',
  apiKey: 'sk-upstream',
  settings: {},
  timeouts: { connectMs: 1, firstByteMs: 1, idleMs: 1, totalMs: 1 },
}

describe('openai adapter', () => {
  it('replaces only the model, and asks for usage on streams without mutating the client body', () => {
    const body = { model: 'fake/gpt-4o', messages: [], stream: true, stream_options: { foo: 1 }, temperature: 0.2 }
    const rawBody = Buffer.from(JSON.stringify(body))
    const request = openaiAdapter.buildChatRequest({ provider, body, rawBody, upstreamModel: 'gpt-4o', stream: true, clientWantsUsage: false, accept: undefined, clientHeaders: {} })
    expect(request.url.href).toBe('http://127.0.0.1:9/openai/v1/chat/completions')
    expect(request.headers.authorization).toBe('Bearer sk-upstream')
    expect(JSON.parse(String(request.body ?? ''))).toEqual({ ...body, model: 'gpt-4o', stream_options: { foo: 1, include_usage: true } })
    expect(body.model).toBe('fake/gpt-4o')
    expect(body.stream_options).toEqual({ foo: 1 })
    expect(rawBody.toString()).toBe(JSON.stringify(body))
  })

  it("sends the client's bytes with only the model replaced (no re-serialization)", () => {
    const text = '{ "temperature": 1.0, "model" : "fake/gpt-4o", "messages": [{"role":"user","content":"caf\\u00e9 \\"q\\""}], "seed": 1e3 }'
    const body = JSON.parse(text) as Record<string, unknown>
    const request = openaiAdapter.buildChatRequest({ provider, body, rawBody: Buffer.from(text), upstreamModel: 'gpt-4o', stream: false, clientWantsUsage: false, accept: undefined, clientHeaders: {} })
    expect(String(request.body)).toBe(text.replace('"fake/gpt-4o"', '"gpt-4o"'))
  })

  it('reads model and usage from a stream and flags only the final usage-only chunk', () => {
    const reader = openaiAdapter.createStreamReader()
    expect(reader.read(sseEvent('{"model":"gpt-4o-2024","choices":[{"delta":{"content":"hi"}}],"usage":null}', null))).toEqual({ done: false, usageOnly: false })
    expect(reader.model).toBe('gpt-4o-2024')
    expect(
      reader.read(sseEvent('{"choices":[],"usage":{"prompt_tokens":3,"completion_tokens":2,"total_tokens":5,"prompt_tokens_details":{"cached_tokens":1}}}', null)),
    ).toEqual({ done: false, usageOnly: true })
    expect(reader.usage).toEqual({ promptTokens: 3, completionTokens: 2, totalTokens: 5, cachedPromptTokens: 1, reasoningTokens: null })
    expect(reader.read(sseEvent('[DONE]', null))).toEqual({ done: true, usageOnly: false })
  })
})

describe('openai translator (Anthropic clients)', () => {
  const translator = openaiAdapter.translator
  if (!translator) throw new Error('openai adapter has a translator')

  it('reads a completion with reasoning, text, tool calls, finish reason and usage into canonical form', () => {
    const response = translator.fromUpstream({
      id: 'chatcmpl-1',
      model: 'gpt-4o-2024',
      choices: [{ message: { content: 'Hi', reasoning_content: 'hmm', tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'f', arguments: '{"a":1}' } }] }, finish_reason: 'tool_calls' }],
      usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15, prompt_tokens_details: { cached_tokens: 4 }, completion_tokens_details: { reasoning_tokens: 2 } },
    })
    expect(response).toEqual({
      id: 'chatcmpl-1',
      model: 'gpt-4o-2024',
      content: [{ type: 'thinking', text: 'hmm', signature: null }, { type: 'text', text: 'Hi' }, { type: 'tool_call', id: 'call_1', name: 'f', arguments: '{"a":1}' }],
      stopReason: 'tool_use',
      stopSequence: null,
      usage: { promptTokens: 10, completionTokens: 5, totalTokens: 15, cachedPromptTokens: 4, reasoningTokens: 2, cacheWriteTokens: null },
    })
    expect(translator.fromUpstream({ object: 'list' })).toBeNull()
  })

  it('maps finish reasons (length, content_filter) and error statuses (429, 503 overloaded, insufficient_quota)', () => {
    const finish = (finish_reason: string) => translator.fromUpstream({ choices: [{ message: { content: 'x' }, finish_reason }] })?.stopReason
    expect([finish('stop'), finish('length'), finish('content_filter')]).toEqual(['end_turn', 'max_tokens', 'refusal'])
    expect(translator.errorFromUpstream(429, { error: { message: 'slow down', type: 'requests', code: 'rate_limit_exceeded' } })).toEqual({ kind: 'rate_limit', status: 429, message: 'slow down' })
    expect(translator.errorFromUpstream(503, null)).toMatchObject({ kind: 'overloaded', status: 503 })
    expect(translator.errorFromUpstream(429, { error: { message: 'quota', code: 'insufficient_quota' } }).kind).toBe('billing')
  })
})
