import type { Usage } from '@switchyard/shared/events'
import { z } from 'zod'
import { endpointUrl } from '../endpoint.ts'
import type { ChatRequestInput, ProviderAdapter, ResponseFacts, StreamReader } from '../types.ts'

// OpenAI chat completions (also every OpenAI-compatible server). The client speaks the same
// wire, so the body passes through with only `model` replaced (and, for streams, usage asked
// for); responses are relayed as bytes and only read here.

const count = z.number().int().nonnegative().nullish()
const WireUsage = z.object({
  prompt_tokens: count,
  completion_tokens: count,
  total_tokens: count,
  prompt_tokens_details: z.object({ cached_tokens: count }).nullish(),
  completion_tokens_details: z.object({ reasoning_tokens: count }).nullish(),
})
const WireFacts = z.object({ model: z.string().optional(), usage: WireUsage.nullish() })

function usageOf(wire: z.infer<typeof WireUsage> | null | undefined): Usage | null {
  if (!wire) return null
  return {
    promptTokens: wire.prompt_tokens ?? null,
    completionTokens: wire.completion_tokens ?? null,
    totalTokens: wire.total_tokens ?? null,
    cachedPromptTokens: wire.prompt_tokens_details?.cached_tokens ?? null,
    reasoningTokens: wire.completion_tokens_details?.reasoning_tokens ?? null,
  }
}

function readFacts(json: unknown): ResponseFacts & { emptyChoices: boolean } {
  const parsed = WireFacts.safeParse(json)
  const choices = (json as { choices?: unknown } | null)?.choices
  if (!parsed.success) return { usage: null, model: null, emptyChoices: false }
  return { usage: usageOf(parsed.data.usage), model: parsed.data.model ?? null, emptyChoices: Array.isArray(choices) && choices.length === 0 }
}

const USAGE_NULL = /"usage"\s*:\s*null/

function createStreamReader(): StreamReader {
  const reader: StreamReader = {
    usage: null,
    model: null,
    read(data) {
      if (data === '[DONE]') return { done: true, usageOnly: false }
      // Parse only what can matter: the first chunk (model) and chunks carrying usage.
      const mayCarryUsage = data.includes('"usage"') && !USAGE_NULL.test(data)
      if (reader.model !== null && !mayCarryUsage) return { done: false, usageOnly: false }
      let json: unknown
      try {
        json = JSON.parse(data)
      } catch {
        return { done: false, usageOnly: false }
      }
      const facts = readFacts(json)
      reader.model ??= facts.model
      if (facts.usage) reader.usage = facts.usage
      return { done: false, usageOnly: facts.usage !== null && facts.emptyChoices }
    },
  }
  return reader
}

export const openaiAdapter: ProviderAdapter = {
  wire: 'openai',
  requestIdHeader: 'x-request-id',

  buildChatRequest(input: ChatRequestInput) {
    const body: Record<string, unknown> = { ...input.body, model: input.upstreamModel }
    if (input.stream && !input.clientWantsUsage) {
      const streamOptions = typeof body.stream_options === 'object' && body.stream_options !== null ? body.stream_options : {}
      body.stream_options = { ...streamOptions, include_usage: true }
    }
    return {
      url: endpointUrl(input.provider, '/chat/completions'),
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: input.accept ?? (input.stream ? 'text/event-stream' : 'application/json'),
        authorization: `Bearer ${input.provider.apiKey}`,
      },
      body: JSON.stringify(body),
    }
  },

  readResponse(json) {
    const { usage, model } = readFacts(json)
    return { usage, model }
  },

  createStreamReader,
}
