import type { Usage } from '@switchyard/shared/events'
import { z } from 'zod'
import type { ResponseFacts, StreamEventFacts, StreamReader } from '../types.ts'

// The OpenAI Responses API (POST /v1/responses), read for what the gateway needs: model and
// usage, from the JSON response object or from the stream's terminal `response.completed`
// (`response.incomplete`) event. Bodies and events pass through untouched. Stream grammar:
// `event: <type>` + `data: {"type": <type>, "sequence_number": n, …}`; ends with
// response.completed / response.incomplete / response.failed, or an `error` event.

const count = z.number().int().nonnegative().nullish()
const WireResponsesUsage = z.object({
  input_tokens: count,
  output_tokens: count,
  total_tokens: count,
  input_tokens_details: z.object({ cached_tokens: count }).nullish(),
  output_tokens_details: z.object({ reasoning_tokens: count }).nullish(),
})
const WireResponse = z.object({ model: z.string().nullish(), usage: WireResponsesUsage.nullish() })
const WireEvent = z.object({ type: z.string(), response: WireResponse.nullish(), code: z.string().nullish() })

function usageOf(wire: z.infer<typeof WireResponsesUsage> | null | undefined): Usage | null {
  if (!wire) return null
  return {
    promptTokens: wire.input_tokens ?? null,
    completionTokens: wire.output_tokens ?? null,
    totalTokens: wire.total_tokens ?? null,
    cachedPromptTokens: wire.input_tokens_details?.cached_tokens ?? null,
    reasoningTokens: wire.output_tokens_details?.reasoning_tokens ?? null,
  }
}

export function readResponsesBody(json: unknown): ResponseFacts {
  const parsed = WireResponse.safeParse(json)
  if (!parsed.success) return { usage: null, model: null }
  return { usage: usageOf(parsed.data.usage), model: parsed.data.model ?? null }
}

/** Events that carry the model, usage, the end or an error; every other event is not parsed. */
const READ_EVENTS = new Set(['response.created', 'response.completed', 'response.incomplete', 'response.failed', 'error'])
const DONE_EVENTS = new Set(['response.completed', 'response.incomplete'])
const ERROR_STATUS: Record<string, number> = { rate_limit_exceeded: 429, server_error: 500, invalid_prompt: 400, context_length_exceeded: 400 }
const CONTINUE: StreamEventFacts = { done: false, usageOnly: false }

export function createResponsesStreamReader(): StreamReader {
  const reader: StreamReader = {
    usage: null,
    model: null,
    read(sse) {
      const event = sse.event
      if (event !== null && !READ_EVENTS.has(event)) return CONTINUE
      let parsed: z.infer<typeof WireEvent> | null = null
      try {
        const result = WireEvent.safeParse(JSON.parse(sse.data ?? ''))
        parsed = result.success ? result.data : null
      } catch {
        parsed = null
      }
      if (!parsed) return CONTINUE
      reader.model ??= parsed.response?.model ?? null
      if (parsed.response?.usage) reader.usage = usageOf(parsed.response.usage)
      if (parsed.type === 'error') return { ...CONTINUE, errorStatus: ERROR_STATUS[parsed.code ?? ''] ?? 500 }
      if (parsed.type === 'response.failed') return { ...CONTINUE, errorStatus: 500 }
      return DONE_EVENTS.has(parsed.type) ? { done: true, usageOnly: false } : CONTINUE
    },
  }
  return reader
}

/** The terminal in-band error the gateway adds to a Responses stream that broke off. */
export function responsesStreamError(error: { code: string; message: string }, sequenceNumber: number): string {
  const data = { type: 'error', code: error.code, message: error.message, param: null, sequence_number: sequenceNumber }
  return `event: error\ndata: ${JSON.stringify(data)}\n\n`
}
