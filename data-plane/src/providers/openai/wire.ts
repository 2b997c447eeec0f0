import type { Usage } from '@switchyard/shared/events'
import { z } from 'zod'

// OpenAI Chat Completions wire types the gateway reads from upstreams (zod, parsed once where
// read): usage (passthrough metering) and, for translation, whole responses, stream chunks and
// error bodies. Fields OpenAI-compatible servers add (`reasoning_content`) are read too.

const count = z.number().int().nonnegative().nullish()
export const WireUsage = z.object({
  prompt_tokens: count,
  completion_tokens: count,
  total_tokens: count,
  prompt_tokens_details: z.object({ cached_tokens: count }).nullish(),
  completion_tokens_details: z.object({ reasoning_tokens: count }).nullish(),
})
export type WireUsage = z.infer<typeof WireUsage>

export function usageOf(wire: WireUsage | null | undefined): Usage | null {
  if (!wire) return null
  return {
    promptTokens: wire.prompt_tokens ?? null,
    completionTokens: wire.completion_tokens ?? null,
    totalTokens: wire.total_tokens ?? null,
    cachedPromptTokens: wire.prompt_tokens_details?.cached_tokens ?? null,
    reasoningTokens: wire.completion_tokens_details?.reasoning_tokens ?? null,
  }
}

const ToolCall = z.object({
  id: z.string(),
  type: z.string().nullish(),
  function: z.object({ name: z.string(), arguments: z.string().nullish() }),
})

const FinishReason = z.string().nullish()

export const WireCompletion = z.object({
  id: z.string().optional(),
  model: z.string().optional(),
  choices: z.array(
    z.object({
      message: z.object({
        content: z.string().nullish(),
        refusal: z.string().nullish(),
        reasoning_content: z.string().nullish(),
        tool_calls: z.array(ToolCall).nullish(),
      }),
      finish_reason: FinishReason,
    }),
  ),
  usage: WireUsage.nullish(),
})
export type WireCompletion = z.infer<typeof WireCompletion>

const ToolCallDelta = z.object({
  index: z.number().int().nonnegative(),
  id: z.string().nullish(),
  function: z.object({ name: z.string().nullish(), arguments: z.string().nullish() }).nullish(),
})
export type WireToolCallDelta = z.infer<typeof ToolCallDelta>

export const WireErrorBody = z.object({
  error: z.object({ message: z.string().nullish(), type: z.string().nullish(), code: z.union([z.string(), z.number()]).nullish() }),
})

export const WireChunk = z.object({
  id: z.string().optional(),
  model: z.string().optional(),
  choices: z
    .array(
      z.object({
        delta: z
          .object({
            content: z.string().nullish(),
            refusal: z.string().nullish(),
            reasoning_content: z.string().nullish(),
            tool_calls: z.array(ToolCallDelta).nullish(),
          })
          .nullish(),
        finish_reason: FinishReason,
      }),
    )
    .nullish(),
  usage: WireUsage.nullish(),
  error: WireErrorBody.shape.error.optional(),
})
export type WireChunk = z.infer<typeof WireChunk>
