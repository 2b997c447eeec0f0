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
    const request = openaiAdapter.buildChatRequest({ provider, body, upstreamModel: 'gpt-4o', stream: true, clientWantsUsage: false, accept: undefined, clientHeaders: {} })
    expect(request.url.href).toBe('http://127.0.0.1:9/openai/v1/chat/completions')
    expect(request.headers.authorization).toBe('Bearer sk-upstream')
    expect(JSON.parse(request.body ?? '')).toEqual({ ...body, model: 'gpt-4o', stream_options: { foo: 1, include_usage: true } })
    expect(body.model).toBe('fake/gpt-4o')
    expect(body.stream_options).toEqual({ foo: 1 })
  })

  it('reads model and usage from a stream and flags only the final usage-only chunk', () => {
    const reader = openaiAdapter.createStreamReader()
    expect(reader.read('{"model":"gpt-4o-2024","choices":[{"delta":{"content":"hi"}}],"usage":null}', null)).toEqual({ done: false, usageOnly: false })
    expect(reader.model).toBe('gpt-4o-2024')
    expect(
      reader.read('{"choices":[],"usage":{"prompt_tokens":3,"completion_tokens":2,"total_tokens":5,"prompt_tokens_details":{"cached_tokens":1}}}', null),
    ).toEqual({ done: false, usageOnly: true })
    expect(reader.usage).toEqual({ promptTokens: 3, completionTokens: 2, totalTokens: 5, cachedPromptTokens: 1, reasoningTokens: null })
    expect(reader.read('[DONE]', null)).toEqual({ done: true, usageOnly: false })
  })
})
