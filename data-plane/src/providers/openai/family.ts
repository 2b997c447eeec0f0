import { z } from 'zod'
import type { RuntimeProvider } from '../../runtime/compile.ts'
import type { ChatRequestInput, EndpointCapability, ProviderAdapter, ResponseFacts, StreamReader } from '../types.ts'
import { completionFromOpenAI, errorFromOpenAI } from './from-upstream.ts'
import { applyQuirks, type OpenAIQuirks } from './quirks.ts'
import { createResponsesStreamReader, readResponsesBody } from './responses.ts'
import { OpenAIStreamDecoder } from './stream-decoder.ts'
import { toOpenAIBody } from './to-upstream.ts'
import { usageOf, WireUsage } from './wire.ts'

// The OpenAI wire family: one adapter shape for every upstream that speaks OpenAI's API
// (`openai`, `openai-compatible`, `azure-openai`). A member declares only how it differs:
// where each operation lives (URL), how it authenticates, its quirks (as data) and which extra
// endpoints it serves. Passthrough for OpenAI clients (the body with `model` replaced, usage
// asked for on streams), and one translator for Anthropic clients (canonical ↔ OpenAI wire).

export type OpenAIOperation = 'chat' | 'embeddings' | 'responses'

export interface OpenAIFamilySpec {
  url(provider: RuntimeProvider, operation: OpenAIOperation, upstreamModel: string): URL
  authHeaders(provider: RuntimeProvider): Record<string, string>
  quirks(provider: RuntimeProvider): OpenAIQuirks
  /** Endpoints besides chat completions that this upstream serves. */
  serves: { embeddings: boolean; responses: boolean }
}

const WireFacts = z.object({ model: z.string().optional(), usage: WireUsage.nullish() })

function readFacts(json: unknown): ResponseFacts & { emptyChoices: boolean } {
  const parsed = WireFacts.safeParse(json)
  const choices = (json as { choices?: unknown } | null)?.choices
  if (!parsed.success) return { usage: null, model: null, emptyChoices: false }
  return { usage: usageOf(parsed.data.usage), model: parsed.data.model ?? null, emptyChoices: Array.isArray(choices) && choices.length === 0 }
}

const USAGE_NULL = /"usage"\s*:\s*null/
/** An in-band error chunk (`data: {"error":{…}}`), which OpenAI and Azure send inside an HTTP 200 stream. */
const ERROR_CHUNK = /^\s*\{\s*"error"\s*:/

function errorStatusOf(json: unknown): number | undefined {
  const error = (json as { error?: unknown } | null)?.error
  if (typeof error !== 'object' || error === null) return undefined
  return errorFromOpenAI(500, { error }).status
}

export function createChatStreamReader(): StreamReader {
  const reader: StreamReader = {
    usage: null,
    model: null,
    read(data) {
      if (data === '[DONE]') return { done: true, usageOnly: false }
      // Parse only what can matter: the first chunk (model) and chunks carrying usage.
      const mayCarryUsage = data.includes('"usage"') && !USAGE_NULL.test(data)
      const mayBeError = ERROR_CHUNK.test(data)
      if (reader.model !== null && !mayCarryUsage && !mayBeError) return { done: false, usageOnly: false }
      let json: unknown
      try {
        json = JSON.parse(data)
      } catch {
        return { done: false, usageOnly: false }
      }
      const errorStatus = mayBeError ? errorStatusOf(json) : undefined
      if (errorStatus !== undefined) return { done: false, usageOnly: false, errorStatus }
      const facts = readFacts(json)
      reader.model ??= facts.model
      if (facts.usage) reader.usage = facts.usage
      return { done: false, usageOnly: facts.usage !== null && facts.emptyChoices }
    },
  }
  return reader
}

function readResponse(json: unknown): ResponseFacts {
  const { usage, model } = readFacts(json)
  return { usage, model }
}

interface Send {
  operation: OpenAIOperation
  upstreamModel: string
  stream: boolean
  accept: string | undefined
}

export function createOpenAIFamilyAdapter(spec: OpenAIFamilySpec): ProviderAdapter {
  const request = (provider: RuntimeProvider, body: Record<string, unknown>, send: Send) => {
    const adapted = applyQuirks(body, spec.quirks(provider))
    return {
      url: spec.url(provider, send.operation, send.upstreamModel),
      method: 'POST' as const,
      headers: {
        'content-type': 'application/json',
        accept: send.accept ?? (send.stream ? 'text/event-stream' : 'application/json'),
        ...spec.authHeaders(provider),
      },
      body: JSON.stringify(adapted.body),
      degraded: adapted.degraded,
    }
  }
  const passthrough = (operation: OpenAIOperation) => (input: ChatRequestInput) =>
    request(input.provider, { ...input.body, model: input.upstreamModel }, { ...input, operation })

  const adapter: ProviderAdapter = {
    wire: 'openai',
    requestIdHeader: 'x-request-id',
    buildChatRequest(input) {
      const body: Record<string, unknown> = { ...input.body, model: input.upstreamModel }
      if (input.stream && !input.clientWantsUsage && spec.quirks(input.provider).streamOptions) {
        const streamOptions = typeof body.stream_options === 'object' && body.stream_options !== null ? body.stream_options : {}
        body.stream_options = { ...streamOptions, include_usage: true }
      }
      return request(input.provider, body, { ...input, operation: 'chat' })
    },
    readResponse,
    createStreamReader: createChatStreamReader,
    translator: {
      toUpstream({ provider, request: canonical, upstreamModel }) {
        const maxTokensField = spec.quirks(provider).maxTokensField
        const { body, degraded } = toOpenAIBody(canonical, { upstreamModel, providerType: provider.type, maxTokensField })
        const built = request(provider, body, { operation: 'chat', upstreamModel, stream: canonical.stream, accept: undefined })
        return { request: built, degraded: [...new Set([...degraded, ...built.degraded])] }
      },
      fromUpstream: completionFromOpenAI,
      createStreamDecoder: () => new OpenAIStreamDecoder(),
      errorFromUpstream: errorFromOpenAI,
    },
  }
  if (spec.serves.embeddings) adapter.embeddings = { buildRequest: passthrough('embeddings'), readResponse } satisfies EndpointCapability
  if (spec.serves.responses) {
    adapter.responses = { buildRequest: passthrough('responses'), readResponse: readResponsesBody, createStreamReader: createResponsesStreamReader } satisfies EndpointCapability
  }
  return adapter
}
