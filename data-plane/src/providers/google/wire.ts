import { z } from 'zod'
import type { CanonicalUsage } from '../../dialects/canonical.ts'

// Gemini API wire types (generateContent / streamGenerateContent): only what the gateway reads.

const count = z.number().int().nonnegative().nullish()

export const WireUsageMetadata = z.object({
  promptTokenCount: count,
  candidatesTokenCount: count,
  totalTokenCount: count,
  cachedContentTokenCount: count,
  thoughtsTokenCount: count,
})
export type WireUsageMetadata = z.infer<typeof WireUsageMetadata>

export const WirePart = z
  .object({
    text: z.string().nullish(),
    thought: z.boolean().nullish(),
    thoughtSignature: z.string().nullish(),
    functionCall: z.object({ id: z.string().nullish(), name: z.string(), args: z.record(z.string(), z.unknown()).nullish() }).nullish(),
  })
  .loose()
export type WirePart = z.infer<typeof WirePart>

export const WireCandidate = z.object({
  content: z.object({ role: z.string().nullish(), parts: z.array(WirePart).nullish() }).nullish(),
  finishReason: z.string().nullish(),
  index: z.number().nullish(),
})

export const WireError = z.object({ code: z.number().int().nullish(), message: z.string().nullish(), status: z.string().nullish(), details: z.array(z.unknown()).nullish() })

/** A GenerateContentResponse: the whole answer, and each chunk of a stream. */
export const WireResponse = z.object({
  candidates: z.array(WireCandidate).nullish(),
  promptFeedback: z.object({ blockReason: z.string().nullish() }).nullish(),
  usageMetadata: WireUsageMetadata.nullish(),
  modelVersion: z.string().nullish(),
  responseId: z.string().nullish(),
  error: WireError.nullish(),
})
export type WireResponse = z.infer<typeof WireResponse>

export function parseWireResponse(json: unknown): WireResponse | null {
  const parsed = WireResponse.safeParse(json)
  return parsed.success ? parsed.data : null
}

/**
 * Gemini's `candidatesTokenCount` leaves out thinking tokens (`thoughtsTokenCount`), while
 * OpenAI's `completion_tokens` includes reasoning: completionTokens = candidates + thoughts.
 * `promptTokenCount` includes the cached tokens (`cachedContentTokenCount`), like OpenAI's.
 */
export function usageOf(wire: WireUsageMetadata | null | undefined): CanonicalUsage | null {
  if (!wire) return null
  const promptTokens = wire.promptTokenCount ?? null
  const output = [wire.candidatesTokenCount, wire.thoughtsTokenCount]
  const completionTokens = output.every((n) => n === null || n === undefined) ? null : output.reduce<number>((sum, n) => sum + (n ?? 0), 0)
  const sum = promptTokens !== null && completionTokens !== null ? promptTokens + completionTokens : null
  return {
    promptTokens,
    completionTokens,
    totalTokens: wire.totalTokenCount ?? sum,
    cachedPromptTokens: wire.cachedContentTokenCount ?? null,
    reasoningTokens: wire.thoughtsTokenCount ?? null,
    cacheWriteTokens: null,
  }
}
