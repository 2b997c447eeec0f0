import { z } from 'zod'
import type { RuntimeProvider } from '../../runtime/compile.ts'
import type { UpstreamRequest } from '../../upstream/client.ts'
import { endpointUrl } from '../endpoint.ts'
import type { ChatRequestInput, ProviderAdapter, ResponseFacts, StreamReader } from '../types.ts'
import { completionFromOpenAI, errorFromOpenAI } from './from-upstream.ts'
import { OpenAIStreamDecoder } from './stream-decoder.ts'
import { toOpenAIBody } from './to-upstream.ts'
import { usageOf, WireUsage } from './wire.ts'

// OpenAI chat completions (also every OpenAI-compatible server). An OpenAI client speaks the
// same wire, so its body passes through with only `model` replaced (and, for streams, usage
// asked for); responses are relayed as bytes and only read here. An Anthropic client is served
// through `translator` (canonical ↔ OpenAI wire).

const WireFacts = z.object({ model: z.string().optional(), usage: WireUsage.nullish() })

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

function chatRequest(provider: RuntimeProvider, body: Record<string, unknown>, options: { stream: boolean; accept: string | undefined }): UpstreamRequest {
  return {
    url: endpointUrl(provider, '/chat/completions'),
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: options.accept ?? (options.stream ? 'text/event-stream' : 'application/json'),
      authorization: `Bearer ${provider.apiKey}`,
    },
    body: JSON.stringify(body),
  }
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
    return chatRequest(input.provider, body, { stream: input.stream, accept: input.accept })
  },

  readResponse(json) {
    const { usage, model } = readFacts(json)
    return { usage, model }
  },

  createStreamReader,

  translator: {
    toUpstream({ provider, request, upstreamModel }) {
      const { body, degraded } = toOpenAIBody(request, { upstreamModel, providerType: provider.type })
      return { request: chatRequest(provider, body, { stream: request.stream, accept: undefined }), degraded }
    },
    fromUpstream: completionFromOpenAI,
    createStreamDecoder: () => new OpenAIStreamDecoder(),
    errorFromUpstream: errorFromOpenAI,
  },
}
