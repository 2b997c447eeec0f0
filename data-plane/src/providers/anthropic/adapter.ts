import type { RuntimeProvider } from '../../runtime/compile.ts'
import type { UpstreamRequest } from '../../upstream/client.ts'
import { endpointUrl } from '../endpoint.ts'
import { passthroughBody } from '../passthrough-body.ts'
import type { ChatRequestInput, ProviderAdapter, StreamEventFacts, StreamReader } from '../types.ts'
import { anthropicCountTokens } from './count-tokens.ts'
import { errorFromAnthropic, messageFromAnthropic } from './from-upstream.ts'
import { AnthropicStreamDecoder } from './stream-decoder.ts'
import { toAnthropicBody } from './to-upstream.ts'
import { DEFAULT_ANTHROPIC_VERSION } from './version.ts'
import { mergeUsage, statusOfErrorType, usageOf, WireMessage, WireStreamEvent, type WireUsage } from './wire.ts'
import { anthropicErrorKinds } from './error-kinds.ts'

// Anthropic Messages (POST <baseUrl>/v1/messages). The client speaks the same wire, so the body
// passes through with only `model` replaced and the client's `anthropic-version` / `anthropic-beta`
// forwarded; responses are relayed as bytes and only read here. An OpenAI client is served
// through `translator` (canonical ↔ Anthropic wire).

export { DEFAULT_ANTHROPIC_VERSION }

/** Events that never carry what the gateway reads: not parsed at all. */
const SKIPPED_EVENTS = new Set(['ping', 'content_block_start', 'content_block_delta', 'content_block_stop'])

const CONTINUE: StreamEventFacts = { done: false, usageOnly: false }
const DONE: StreamEventFacts = { done: true, usageOnly: false }

function parseEvent(data: string) {
  try {
    const parsed = WireStreamEvent.safeParse(JSON.parse(data))
    return parsed.success ? parsed.data : null
  } catch {
    return null
  }
}

function createStreamReader(): StreamReader {
  let wireUsage: WireUsage | null = null
  const reader: StreamReader = {
    usage: null,
    model: null,
    read(sse) {
      const event = sse.event
      if (event !== null && SKIPPED_EVENTS.has(event)) return CONTINUE
      // The end carries nothing to read: known by its name (Anthropic names every event).
      if (event === 'message_stop') return DONE
      const parsed = parseEvent(sse.data ?? '')
      if (!parsed) return CONTINUE
      if (parsed.type === 'error') return { ...CONTINUE, errorStatus: statusOfErrorType(parsed.error?.type) }
      if (parsed.type === 'message_stop') return DONE
      if (parsed.type === 'message_start') reader.model ??= parsed.message?.model ?? null
      const update = parsed.type === 'message_start' ? parsed.message?.usage : parsed.type === 'message_delta' ? parsed.usage : null
      if (update) {
        wireUsage = mergeUsage(wireUsage, update)
        reader.usage = usageOf(wireUsage)
      }
      return CONTINUE
    },
  }
  return reader
}

interface MessagesRequestInput {
  stream: boolean
  accept: string | undefined
  clientHeaders: Readonly<Record<string, string>>
}

function messagesRequest(provider: RuntimeProvider, body: string | Buffer, input: MessagesRequestInput): UpstreamRequest {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: input.accept ?? (input.stream ? 'text/event-stream' : 'application/json'),
    'x-api-key': provider.apiKey,
    'anthropic-version': input.clientHeaders['anthropic-version'] ?? DEFAULT_ANTHROPIC_VERSION,
  }
  const beta = input.clientHeaders['anthropic-beta']
  if (beta !== undefined) headers['anthropic-beta'] = beta
  return { url: endpointUrl(provider, '/v1/messages'), method: 'POST', headers, body }
}

export const anthropicAdapter: ProviderAdapter = {
  wire: 'anthropic',
  requestIdHeader: 'request-id',
  errorKinds: anthropicErrorKinds,

  buildChatRequest(input: ChatRequestInput) {
    return messagesRequest(input.provider, passthroughBody(input), input)
  },

  readResponse(json) {
    const parsed = WireMessage.safeParse(json)
    if (!parsed.success) return { usage: null, model: null }
    return { usage: usageOf(parsed.data.usage), model: parsed.data.model ?? null }
  },

  createStreamReader,
  countTokens: anthropicCountTokens,

  translator: {
    toUpstream({ provider, request, upstreamModel }) {
      const { body, degraded } = toAnthropicBody(request, upstreamModel)
      return { request: messagesRequest(provider, JSON.stringify(body), { stream: request.stream, accept: undefined, clientHeaders: {} }), degraded }
    },
    fromUpstream: messageFromAnthropic,
    createStreamDecoder: () => new AnthropicStreamDecoder(),
    errorFromUpstream: (status, json) => errorFromAnthropic(status, json),
  },
}
