import type { Usage } from '@switchyard/shared/events'
import { z } from 'zod'

// Anthropic Messages wire types: only what the gateway reads (zod, parsed once where read).

const count = z.number().int().nonnegative().nullish()
export const WireUsage = z.object({
  input_tokens: count,
  output_tokens: count,
  cache_creation_input_tokens: count,
  cache_read_input_tokens: count,
  output_tokens_details: z.object({ thinking_tokens: count }).nullish(),
})
export type WireUsage = z.infer<typeof WireUsage>

/** A Messages response body, and the `message` of a `message_start` event. */
export const WireMessage = z.object({ model: z.string().optional(), usage: WireUsage.nullish() })

/** The events the gateway parses (message_start, message_delta, message_stop, error). */
export const WireStreamEvent = z.object({
  type: z.string(),
  message: WireMessage.optional(),
  usage: WireUsage.nullish(),
  error: z.object({ type: z.string(), message: z.string().nullish() }).optional(),
})

/** A content block of a response (and of `content_block_start`): what translation reads. */
export const WireContentBlock = z
  .object({
    type: z.string(),
    text: z.string().nullish(),
    thinking: z.string().nullish(),
    signature: z.string().nullish(),
    data: z.string().nullish(),
    id: z.string().nullish(),
    name: z.string().nullish(),
    input: z.unknown().optional(),
  })
  .loose()
export type WireContentBlock = z.infer<typeof WireContentBlock>

/** A whole Messages response, for translation. */
export const WireFullMessage = z.object({
  id: z.string().optional(),
  model: z.string().optional(),
  content: z.array(WireContentBlock),
  stop_reason: z.string().nullish(),
  stop_sequence: z.string().nullish(),
  usage: WireUsage.nullish(),
})

/** Any stream event, for translation (content blocks and deltas included). */
export const WireFullStreamEvent = WireStreamEvent.extend({
  message: WireMessage.extend({ id: z.string().optional() }).optional(),
  index: z.number().int().nonnegative().optional(),
  content_block: WireContentBlock.optional(),
  delta: z
    .object({
      type: z.string().nullish(),
      text: z.string().nullish(),
      thinking: z.string().nullish(),
      signature: z.string().nullish(),
      partial_json: z.string().nullish(),
      stop_reason: z.string().nullish(),
      stop_sequence: z.string().nullish(),
    })
    .optional(),
})
export type WireFullStreamEvent = z.infer<typeof WireFullStreamEvent>

export const WireErrorBody = z.object({ error: z.object({ type: z.string(), message: z.string().nullish() }) })

/** Anthropic's error types → the HTTP status it answers them with (docs "HTTP errors"). */
const ERROR_STATUS: Record<string, number> = {
  invalid_request_error: 400,
  authentication_error: 401,
  billing_error: 402,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  timeout_error: 504,
  overloaded_error: 529,
}

export function statusOfErrorType(type: string | undefined): number {
  return (type !== undefined && ERROR_STATUS[type]) || 500
}

/** The later value of each field wins: message_delta's usage is cumulative. */
export function mergeUsage(base: WireUsage | null, update: WireUsage): WireUsage {
  return {
    input_tokens: update.input_tokens ?? base?.input_tokens,
    output_tokens: update.output_tokens ?? base?.output_tokens,
    cache_creation_input_tokens: update.cache_creation_input_tokens ?? base?.cache_creation_input_tokens,
    cache_read_input_tokens: update.cache_read_input_tokens ?? base?.cache_read_input_tokens,
    output_tokens_details: update.output_tokens_details ?? base?.output_tokens_details,
  }
}

/**
 * Anthropic's `input_tokens` counts only the prompt tokens that were neither written to nor read
 * from the prompt cache; cache writes and reads are reported beside it. So that `promptTokens`
 * means the same for every provider (OpenAI's `prompt_tokens` includes its cached tokens), it is
 * the whole prompt: input + cache_creation + cache_read. `cachedPromptTokens` is the cache reads
 * (like OpenAI's `cached_tokens`). Cache writes have no field of their own in Usage yet.
 */
export function usageOf(wire: WireUsage | null | undefined): Usage | null {
  if (!wire) return null
  const parts = [wire.input_tokens, wire.cache_creation_input_tokens, wire.cache_read_input_tokens]
  const promptTokens = parts.every((n) => n === null || n === undefined) ? null : parts.reduce<number>((sum, n) => sum + (n ?? 0), 0)
  const completionTokens = wire.output_tokens ?? null
  return {
    promptTokens,
    completionTokens,
    totalTokens: promptTokens !== null && completionTokens !== null ? promptTokens + completionTokens : null,
    cachedPromptTokens: wire.cache_read_input_tokens ?? null,
    reasoningTokens: wire.output_tokens_details?.thinking_tokens ?? null,
  }
}
