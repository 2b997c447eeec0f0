import { z } from 'zod'
import { type UsageResult, usageResult } from '../usage.ts'

// Anthropic wire usage → normalised partitions. input_tokens EXCLUDES cache reads and writes
// (they are reported beside it); cache_creation_input_tokens is every write, split by lifetime in
// cache_creation.ephemeral_5m/1h_input_tokens; output_tokens includes thinking.

const count = z.number().int().nonnegative().nullish()

export const AnthropicUsage = z.object({
  input_tokens: count,
  output_tokens: count,
  cache_creation_input_tokens: count,
  cache_read_input_tokens: count,
  cache_creation: z.object({ ephemeral_5m_input_tokens: count, ephemeral_1h_input_tokens: count }).nullish(),
  output_tokens_details: z.object({ thinking_tokens: count }).nullish(),
  server_tool_use: z.object({ web_search_requests: count }).nullish(),
})
export type AnthropicUsage = z.infer<typeof AnthropicUsage>

const MessageBody = z.object({ usage: AnthropicUsage.nullish() })
// Keyed by type, so a malformed message_delta is an error, not an event of some other type.
const StreamEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('message_start'), message: MessageBody }),
  z.object({ type: z.literal('message_delta'), usage: AnthropicUsage.nullish() }),
])
const EventType = z.object({ type: z.string() })
const USAGE_EVENTS = new Set(['message_start', 'message_delta'])

function fromWire(u: AnthropicUsage): UsageResult | null {
  if (u.input_tokens == null && u.output_tokens == null) return null
  const oneHour = u.cache_creation?.ephemeral_1h_input_tokens ?? 0
  const writes = u.cache_creation_input_tokens ?? (u.cache_creation?.ephemeral_5m_input_tokens ?? 0) + oneHour
  const output = u.output_tokens ?? 0
  const thinking = u.output_tokens_details?.thinking_tokens ?? 0
  return usageResult({
    inputTokens: u.input_tokens ?? 0,
    cacheReadTokens: u.cache_read_input_tokens ?? 0,
    cacheWriteTokens: writes - oneHour,
    cacheWrite1hTokens: oneHour,
    inputAudioTokens: 0,
    cacheReadAudioTokens: 0,
    outputTokens: output - thinking,
    reasoningTokens: thinking,
    outputAudioTokens: 0,
    webSearches: u.server_tool_use?.web_search_requests ?? 0,
  })
}

/** A whole Messages API response. */
export function usageFromAnthropicMessage(body: unknown): UsageResult | null {
  const parsed = MessageBody.safeParse(body)
  if (!parsed.success) return { ok: false, reason: 'Anthropic usage is not in the expected shape' }
  return parsed.data.usage ? fromWire(parsed.data.usage) : null
}

/**
 * A stream's events (parsed `data:` JSON, in order): message_start carries the prompt side,
 * each message_delta the cumulative counts so far. A later field wins; an absent one keeps the
 * earlier value (message_delta may omit the prompt counts).
 */
export function usageFromAnthropicStream(events: readonly unknown[]): UsageResult | null {
  let merged: AnthropicUsage | null = null
  for (const raw of events) {
    const kind = EventType.safeParse(raw)
    if (kind.success && !USAGE_EVENTS.has(kind.data.type)) continue
    const event = StreamEvent.safeParse(raw)
    if (!event.success) return { ok: false, reason: 'Anthropic stream event is not in the expected shape' }
    const data = event.data
    const usage = 'message' in data ? data.message.usage : 'usage' in data ? data.usage : null
    if (usage) merged = mergeUsage(merged, usage)
  }
  return merged ? fromWire(merged) : null
}

function mergeUsage(base: AnthropicUsage | null, update: AnthropicUsage): AnthropicUsage {
  const keys = Object.keys(AnthropicUsage.shape) as (keyof AnthropicUsage)[]
  const out: Record<string, unknown> = { ...base }
  for (const key of keys) if (update[key] != null) out[key] = update[key]
  return AnthropicUsage.parse(out)
}
