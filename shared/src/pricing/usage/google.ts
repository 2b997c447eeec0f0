import { z } from 'zod'
import { type UsageResult, usageResult } from '../usage.ts'

// Gemini usageMetadata → normalised partitions. promptTokenCount INCLUDES cachedContentTokenCount;
// toolUsePromptTokenCount is prompt too but reported beside it; candidatesTokenCount EXCLUDES
// thoughtsTokenCount. Per-modality details split audio out (cacheTokensDetails within the cached).

const count = z.number().int().nonnegative().nullish()
const ModalityCounts = z.array(z.object({ modality: z.string(), tokenCount: count })).nullish()

const UsageMetadata = z.object({
  promptTokenCount: count,
  cachedContentTokenCount: count,
  candidatesTokenCount: count,
  thoughtsTokenCount: count,
  toolUsePromptTokenCount: count,
  promptTokensDetails: ModalityCounts,
  cacheTokensDetails: ModalityCounts,
  candidatesTokensDetails: ModalityCounts,
  toolUsePromptTokensDetails: ModalityCounts,
})
type UsageMetadata = z.infer<typeof UsageMetadata>
const Body = z.object({ usageMetadata: UsageMetadata.nullish() })

function audio(details: z.infer<typeof ModalityCounts>): number {
  return (details ?? []).filter((d) => d.modality === 'AUDIO').reduce((sum, d) => sum + (d.tokenCount ?? 0), 0)
}

function fromWire(u: UsageMetadata): UsageResult | null {
  if (u.promptTokenCount == null && u.candidatesTokenCount == null && u.thoughtsTokenCount == null) return null
  const prompt = (u.promptTokenCount ?? 0) + (u.toolUsePromptTokenCount ?? 0)
  const cached = u.cachedContentTokenCount ?? 0
  const cachedAudio = audio(u.cacheTokensDetails)
  const audioIn = audio(u.promptTokensDetails) + audio(u.toolUsePromptTokensDetails)
  const audioOut = audio(u.candidatesTokensDetails)
  return usageResult({
    inputTokens: prompt - cached - (audioIn - cachedAudio),
    cacheReadTokens: cached - cachedAudio,
    cacheWriteTokens: 0,
    cacheWrite1hTokens: 0,
    inputAudioTokens: audioIn - cachedAudio,
    cacheReadAudioTokens: cachedAudio,
    outputTokens: (u.candidatesTokenCount ?? 0) - audioOut,
    reasoningTokens: u.thoughtsTokenCount ?? 0,
    outputAudioTokens: audioOut,
    webSearches: 0,
  })
}

/** A generateContent response, or one streamGenerateContent chunk. */
export function usageFromGemini(body: unknown): UsageResult | null {
  const parsed = Body.safeParse(body)
  if (!parsed.success) return { ok: false, reason: 'Gemini usageMetadata is not in the expected shape' }
  return parsed.data.usageMetadata ? fromWire(parsed.data.usageMetadata) : null
}

/** A stream's chunks in order: each usageMetadata is cumulative, so the last one is the total. */
export function usageFromGeminiStream(chunks: readonly unknown[]): UsageResult | null {
  for (let i = chunks.length - 1; i >= 0; i--) {
    const result = usageFromGemini(chunks[i])
    if (result) return result
  }
  return null
}
