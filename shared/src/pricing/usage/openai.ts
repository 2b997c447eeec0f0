import { z } from 'zod'
import { type UsageResult, usageResult } from '../usage.ts'

// OpenAI (and Azure OpenAI) wire usage → normalised partitions. Chat Completions: prompt_tokens
// INCLUDES cached_tokens, cache_write_tokens and audio_tokens; completion_tokens INCLUDES
// reasoning_tokens and audio_tokens. The Responses API says the same with input/output names.

const count = z.number().int().nonnegative().nullish()

const ChatUsage = z.object({
  prompt_tokens: count,
  completion_tokens: count,
  prompt_tokens_details: z.object({ cached_tokens: count, cache_write_tokens: count, audio_tokens: count }).nullish(),
  completion_tokens_details: z.object({ reasoning_tokens: count, audio_tokens: count }).nullish(),
})
const ChatBody = z.object({ usage: ChatUsage.nullish() })

const ResponsesUsage = z.object({
  input_tokens: count,
  output_tokens: count,
  input_tokens_details: z.object({ cached_tokens: count, cache_write_tokens: count }).nullish(),
  output_tokens_details: z.object({ reasoning_tokens: count }).nullish(),
})
const ResponsesBody = z.object({ usage: ResponsesUsage.nullish() })
const ResponsesEvent = z.object({ response: ResponsesBody })

interface Totals {
  prompt: number
  cached: number
  cacheWrite: number
  audioIn: number
  completion: number
  reasoning: number
  audioOut: number
}

function fromTotals(t: Totals): UsageResult {
  return usageResult({
    inputTokens: t.prompt - t.cached - t.cacheWrite - t.audioIn,
    cacheReadTokens: t.cached,
    cacheWriteTokens: t.cacheWrite,
    cacheWrite1hTokens: 0,
    inputAudioTokens: t.audioIn,
    cacheReadAudioTokens: 0,
    outputTokens: t.completion - t.reasoning - t.audioOut,
    reasoningTokens: t.reasoning,
    outputAudioTokens: t.audioOut,
    webSearches: 0,
  })
}

/**
 * A chat completion, or the stream's final chunk (`choices: []` plus `usage`, sent when the
 * caller asked for `stream_options.include_usage`). null when the body carries no usage.
 */
export function usageFromOpenAiChat(body: unknown): UsageResult | null {
  const parsed = ChatBody.safeParse(body)
  if (!parsed.success) return { ok: false, reason: 'OpenAI usage is not in the expected shape' }
  const u = parsed.data.usage
  if (!u || (u.prompt_tokens == null && u.completion_tokens == null)) return null
  return fromTotals({
    prompt: u.prompt_tokens ?? 0,
    cached: u.prompt_tokens_details?.cached_tokens ?? 0,
    cacheWrite: u.prompt_tokens_details?.cache_write_tokens ?? 0,
    audioIn: u.prompt_tokens_details?.audio_tokens ?? 0,
    completion: u.completion_tokens ?? 0,
    reasoning: u.completion_tokens_details?.reasoning_tokens ?? 0,
    audioOut: u.completion_tokens_details?.audio_tokens ?? 0,
  })
}

/** A Responses API response object, or its stream's `response.completed` event. */
export function usageFromOpenAiResponses(body: unknown): UsageResult | null {
  const event = ResponsesEvent.safeParse(body)
  const parsed = event.success ? ResponsesBody.safeParse(event.data.response) : ResponsesBody.safeParse(body)
  if (!parsed.success) return { ok: false, reason: 'OpenAI Responses usage is not in the expected shape' }
  const u = parsed.data.usage
  if (!u || (u.input_tokens == null && u.output_tokens == null)) return null
  return fromTotals({
    prompt: u.input_tokens ?? 0,
    cached: u.input_tokens_details?.cached_tokens ?? 0,
    cacheWrite: u.input_tokens_details?.cache_write_tokens ?? 0,
    audioIn: 0,
    completion: u.output_tokens ?? 0,
    reasoning: u.output_tokens_details?.reasoning_tokens ?? 0,
    audioOut: 0,
  })
}
