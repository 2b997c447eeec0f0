import { describe, expect, it } from 'vitest'
import { usageFromAnthropicMessage, usageFromAnthropicStream } from './anthropic.ts'
import { usageFromBedrockConverse } from './bedrock.ts'
import { usageFromGemini, usageFromGeminiStream } from './google.ts'
import { usageFromOpenAiChat, usageFromOpenAiResponses } from './openai.ts'

// Edge cases the recorded fixtures (fixtures.test.ts) do not reach: absent usage, contradictory
// counts and foreign shapes come back as values, never as a guessed usage or a throw.

describe('usage mappers', () => {
  it('answer null when a body carries no usage (a mid-stream chunk, a message without counts)', () => {
    expect(usageFromOpenAiChat({ id: 'c', choices: [{ delta: { content: 'hi' } }], usage: null })).toBeNull()
    expect(usageFromOpenAiResponses({ type: 'response.created', response: { usage: null } })).toBeNull()
    expect(usageFromAnthropicMessage({ type: 'message' })).toBeNull()
    expect(usageFromAnthropicStream([{ type: 'ping' }, { type: 'content_block_stop', index: 0 }])).toBeNull()
    expect(usageFromGemini({ candidates: [] })).toBeNull()
    expect(usageFromGeminiStream([{ candidates: [] }])).toBeNull()
    expect(usageFromBedrockConverse({ metrics: { latencyMs: 5 } })).toBeNull()
  })

  it('refuse counts that contradict each other instead of pricing a negative partition', () => {
    const cached = usageFromOpenAiChat({ usage: { prompt_tokens: 100, completion_tokens: 5, prompt_tokens_details: { cached_tokens: 150 } } })
    expect(cached).toMatchObject({ ok: false })
    const reasoning = usageFromOpenAiResponses({ usage: { input_tokens: 10, output_tokens: 5, output_tokens_details: { reasoning_tokens: 9 } } })
    expect(reasoning).toMatchObject({ ok: false })
    const gemini = usageFromGemini({ usageMetadata: { promptTokenCount: 10, cachedContentTokenCount: 20, candidatesTokenCount: 1 } })
    expect(gemini).toMatchObject({ ok: false })
    const writes = usageFromAnthropicMessage({ usage: { input_tokens: 1, output_tokens: 1, cache_creation_input_tokens: 10, cache_creation: { ephemeral_1h_input_tokens: 20 } } })
    expect(writes).toMatchObject({ ok: false })
  })

  it('refuse a foreign shape rather than reading zeros from it', () => {
    expect(usageFromOpenAiChat({ usage: { prompt_tokens: '12', completion_tokens: 3 } })).toMatchObject({ ok: false })
    expect(usageFromBedrockConverse({ usage: { inputTokens: -1, outputTokens: 3 } })).toMatchObject({ ok: false })
    expect(usageFromAnthropicStream([{ type: 'message_delta', usage: { output_tokens: 1.5 } }])).toMatchObject({ ok: false })
  })

  it('keep message_start prompt counts when message_delta repeats only output_tokens, later values winning', () => {
    const result = usageFromAnthropicStream([
      { type: 'message_start', message: { usage: { input_tokens: 30, cache_read_input_tokens: 500, output_tokens: 1 } } },
      { type: 'message_delta', usage: { output_tokens: 40 } },
      { type: 'message_delta', usage: { output_tokens: 90, cache_read_input_tokens: 500 } },
    ])
    expect(result).toMatchObject({ ok: true, usage: { inputTokens: 30, cacheReadTokens: 500, outputTokens: 90 } })
  })

  it('split Anthropic thinking out of output when the wire reports it', () => {
    const result = usageFromAnthropicMessage({ usage: { input_tokens: 5, output_tokens: 100, output_tokens_details: { thinking_tokens: 60 } } })
    expect(result).toMatchObject({ ok: true, usage: { outputTokens: 40, reasoningTokens: 60 } })
  })

  it('take the last cumulative usageMetadata of a Gemini stream', () => {
    const result = usageFromGeminiStream([
      { usageMetadata: { promptTokenCount: 10, candidatesTokenCount: 2 } },
      { usageMetadata: { promptTokenCount: 10, candidatesTokenCount: 7, thoughtsTokenCount: 3 } },
      { candidates: [] },
    ])
    expect(result).toMatchObject({ ok: true, usage: { inputTokens: 10, outputTokens: 7, reasoningTokens: 3 } })
  })
})
