import { z } from 'zod'
import { type UsageResult, usageResult } from '../usage.ts'

// Bedrock Converse usage → normalised partitions. inputTokens EXCLUDES cache reads and writes,
// reported beside it (as Anthropic does). Converse does not split writes by cache lifetime, so
// every write pays the cache-write price.

const count = z.number().int().nonnegative().nullish()
const ConverseUsage = z.object({ inputTokens: count, outputTokens: count, cacheReadInputTokens: count, cacheWriteInputTokens: count })
const Body = z.object({ usage: ConverseUsage.nullish() })

/** A Converse response, or ConverseStream's `metadata` event payload (`{usage, metrics}`). */
export function usageFromBedrockConverse(body: unknown): UsageResult | null {
  const parsed = Body.safeParse(body)
  if (!parsed.success) return { ok: false, reason: 'Bedrock usage is not in the expected shape' }
  const u = parsed.data.usage
  if (!u || (u.inputTokens == null && u.outputTokens == null)) return null
  return usageResult({
    inputTokens: u.inputTokens ?? 0,
    cacheReadTokens: u.cacheReadInputTokens ?? 0,
    cacheWriteTokens: u.cacheWriteInputTokens ?? 0,
    cacheWrite1hTokens: 0,
    inputAudioTokens: 0,
    cacheReadAudioTokens: 0,
    outputTokens: u.outputTokens ?? 0,
    reasoningTokens: 0,
    outputAudioTokens: 0,
    webSearches: 0,
  })
}
