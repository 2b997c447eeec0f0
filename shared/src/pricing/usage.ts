import { z } from 'zod'

// The normalised usage every provider's wire usage maps to: disjoint partitions, each priced by
// its own unit, so no token is counted twice (the Anthropic/OpenAI cache double-count trap) and a
// sum of partitions is the whole. Mappers in usage/ build it; costOf prices it.

const tokens = z.number().int().nonnegative().default(0)

export const NormalisedUsage = z.strictObject({
  /** Prompt tokens not read from or written to a cache, and not audio. */
  inputTokens: tokens,
  /** Prompt tokens read from the cache (text). */
  cacheReadTokens: tokens,
  /** Prompt tokens written to the cache with the default lifetime (5 minutes at Anthropic). */
  cacheWriteTokens: tokens,
  /** Prompt tokens written to the cache for 1 hour (Anthropic `ephemeral_1h_input_tokens`). */
  cacheWrite1hTokens: tokens,
  /** Audio prompt tokens not read from the cache. */
  inputAudioTokens: tokens,
  /** Audio prompt tokens read from the cache. */
  cacheReadAudioTokens: tokens,
  /** Output tokens that are neither reasoning nor audio. */
  outputTokens: tokens,
  /** Reasoning (thinking) tokens: billed as output unless a model prices them apart. */
  reasoningTokens: tokens,
  outputAudioTokens: tokens,
  /** Server-side web searches run for this request (Anthropic `server_tool_use`). */
  webSearches: tokens,
})
export type NormalisedUsage = z.infer<typeof NormalisedUsage>
export type NormalisedUsageInput = z.input<typeof NormalisedUsage>

export function usageOf(parts: NormalisedUsageInput): NormalisedUsage {
  return NormalisedUsage.parse(parts)
}

/** The whole prompt: what a prompt-size tier is judged on (genai-prices' `input_tokens`). */
export function promptTokensOf(u: NormalisedUsage): number {
  return u.inputTokens + u.cacheReadTokens + u.cacheWriteTokens + u.cacheWrite1hTokens + u.inputAudioTokens + u.cacheReadAudioTokens
}

/** The whole output, reasoning and audio included (OpenAI's `completion_tokens`). */
export function outputTokensOf(u: NormalisedUsage): number {
  return u.outputTokens + u.reasoningTokens + u.outputAudioTokens
}

/** A mapper's answer: the usage, or why the wire usage cannot be priced (never a guess). */
export type UsageResult = { ok: true; usage: NormalisedUsage } | { ok: false; reason: string }

/** Builds a result from counts that must each be non-negative integers (a negative remainder means the wire contradicted itself). */
export function usageResult(parts: Record<keyof NormalisedUsage, number>): UsageResult {
  for (const [name, value] of Object.entries(parts)) {
    if (!Number.isSafeInteger(value) || value < 0) return { ok: false, reason: `usage ${name} came to ${value}: the provider's counts contradict each other` }
  }
  return { ok: true, usage: NormalisedUsage.parse(parts) }
}
