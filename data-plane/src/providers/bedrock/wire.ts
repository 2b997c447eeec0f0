import { z } from 'zod'
import type { CanonicalUsage } from '../../dialects/canonical.ts'

// Bedrock Converse / ConverseStream wire types: only what the gateway reads.

const count = z.number().int().nonnegative().nullish()

export const WireUsage = z.object({ inputTokens: count, outputTokens: count, totalTokens: count, cacheReadInputTokens: count, cacheWriteInputTokens: count })
export type WireUsage = z.infer<typeof WireUsage>

export const WireContentBlock = z
  .object({
    text: z.string().nullish(),
    toolUse: z.object({ toolUseId: z.string(), name: z.string(), input: z.unknown().optional() }).nullish(),
    reasoningContent: z
      .object({ reasoningText: z.object({ text: z.string().nullish(), signature: z.string().nullish() }).nullish(), redactedContent: z.string().nullish() })
      .nullish(),
  })
  .loose()
export type WireContentBlock = z.infer<typeof WireContentBlock>

export const WireConverseResponse = z.object({
  output: z.object({ message: z.object({ role: z.string().nullish(), content: z.array(WireContentBlock) }) }),
  stopReason: z.string().nullish(),
  usage: WireUsage.nullish(),
})

export const WireStreamPayload = z
  .object({
    contentBlockIndex: z.number().int().nonnegative().nullish(),
    start: z.object({ toolUse: z.object({ toolUseId: z.string(), name: z.string() }).nullish() }).nullish(),
    delta: z
      .object({
        text: z.string().nullish(),
        toolUse: z.object({ input: z.string().nullish() }).nullish(),
        reasoningContent: z.object({ text: z.string().nullish(), signature: z.string().nullish(), redactedContent: z.string().nullish() }).nullish(),
      })
      .nullish(),
    stopReason: z.string().nullish(),
    usage: WireUsage.nullish(),
    message: z.string().nullish(),
    Message: z.string().nullish(),
  })
  .loose()
export type WireStreamPayload = z.infer<typeof WireStreamPayload>

/**
 * Bedrock's `inputTokens` leaves out prompt-cache reads and writes (reported beside it, as
 * Anthropic does): promptTokens is the whole prompt (input + cache reads + cache writes).
 */
export function usageOf(wire: WireUsage | null | undefined): CanonicalUsage | null {
  if (!wire) return null
  const parts = [wire.inputTokens, wire.cacheReadInputTokens, wire.cacheWriteInputTokens]
  const promptTokens = parts.every((n) => n === null || n === undefined) ? null : parts.reduce<number>((sum, n) => sum + (n ?? 0), 0)
  const completionTokens = wire.outputTokens ?? null
  return {
    promptTokens,
    completionTokens,
    totalTokens: wire.totalTokens ?? (promptTokens !== null && completionTokens !== null ? promptTokens + completionTokens : null),
    cachedPromptTokens: wire.cacheReadInputTokens ?? null,
    reasoningTokens: null,
    cacheWriteTokens: wire.cacheWriteInputTokens ?? null,
  }
}
