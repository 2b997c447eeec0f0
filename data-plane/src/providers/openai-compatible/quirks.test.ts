import { describe, expect, it } from 'vitest'
import type { RuntimeProvider } from '../../runtime/compile.ts'
import { applyQuirks, NO_QUIRKS } from '../openai/quirks.ts'
import { openaiCompatibleAdapter } from './adapter.ts'
import { DEFAULT_QUIRKS, QUIRKS_BY_HOST, quirksFor } from './quirks.ts'

const provider = (baseUrl: string): RuntimeProvider => ({
  id: 'prov_1',
  teamId: 'team_1',
  name: 'compat',
  type: 'openai-compatible',
  baseUrl,
  apiKey: 'sk-upstream',
  settings: {},
  timeouts: { connectMs: 1, firstByteMs: 1, idleMs: 1, totalMs: 1 },
})

describe('openai-compatible quirks (data, by base-URL host)', () => {
  it('finds a server by host, by host:port for local servers, and defaults otherwise', () => {
    expect(quirksFor('https://api.groq.com/openai/v1')).toBe(QUIRKS_BY_HOST['api.groq.com'])
    expect(quirksFor('http://localhost:11434/v1')).toBe(QUIRKS_BY_HOST['localhost:11434'])
    expect(quirksFor('https://llm.internal.example/v1')).toBe(DEFAULT_QUIRKS)
    expect(quirksFor('not a url')).toBe(DEFAULT_QUIRKS)
    expect(quirksFor(null)).toBe(DEFAULT_QUIRKS)
  })

  it('renames the max-tokens field, drops unsupported params and renames fields, naming each; never mutates', () => {
    const body = { model: 'm', max_completion_tokens: 10, logit_bias: { 1: 2 }, seed: 7, stream_options: { include_usage: true } }
    const mistral = QUIRKS_BY_HOST['api.mistral.ai']
    if (!mistral) throw new Error('mistral row')
    expect(applyQuirks(body, mistral)).toEqual({
      body: { model: 'm', max_tokens: 10, random_seed: 7 },
      degraded: ['max_completion_tokens (sent as max_tokens)', 'stream_options', 'logit_bias', 'seed (sent as random_seed)'],
    })
    expect(body.max_completion_tokens).toBe(10)
    expect(applyQuirks(body, NO_QUIRKS).body).toBe(body)
  })

  it('applies the quirks in the adapter: passthrough (degraded named) and no usage ask where stream_options is unknown', () => {
    const built = openaiCompatibleAdapter.buildChatRequest({
      provider: provider('https://api.mistral.ai/v1'),
      body: { model: 'mistral/mistral-small', messages: [], stream: true, seed: 1 },
      upstreamModel: 'mistral-small',
      stream: true,
      clientWantsUsage: false,
      accept: undefined,
      clientHeaders: {},
    })
    expect(built.url.href).toBe('https://api.mistral.ai/v1/chat/completions')
    expect(JSON.parse(String(built.body ?? ''))).toEqual({ model: 'mistral-small', messages: [], stream: true, random_seed: 1 })
    expect(built.degraded).toEqual(['seed (sent as random_seed)'])
    const groq = openaiCompatibleAdapter.buildChatRequest({
      provider: provider('https://api.groq.com/openai/v1'),
      body: { model: 'g/llama', messages: [], stream: true, max_tokens: 5, n: 1 },
      upstreamModel: 'llama',
      stream: true,
      clientWantsUsage: false,
      accept: undefined,
      clientHeaders: {},
    })
    expect(JSON.parse(String(groq.body ?? ''))).toEqual({ model: 'llama', messages: [], stream: true, max_completion_tokens: 5, stream_options: { include_usage: true } })
    expect(groq.degraded).toEqual(['max_tokens (sent as max_completion_tokens)', 'n'])
  })

  it('serves embeddings but not the Responses API', () => {
    expect(openaiCompatibleAdapter.embeddings).toBeDefined()
    expect(openaiCompatibleAdapter.responses).toBeUndefined()
  })
})
