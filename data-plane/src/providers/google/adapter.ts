import { GatewayError } from '../../errors.ts'
import type { RuntimeProvider } from '../../runtime/compile.ts'
import type { UpstreamRequest } from '../../upstream/client.ts'
import { endpointUrl, pathSegment } from '../endpoint.ts'
import type { ProviderAdapter, StreamReader } from '../types.ts'
import { errorFromGemini, responseFromGemini } from './from-upstream.ts'
import { GeminiStreamDecoder } from './stream-decoder.ts'
import { toGeminiBody } from './to-upstream.ts'
import { parseWireResponse, usageOf } from './wire.ts'
import { googleErrorKinds } from './error-kinds.ts'

// Google Gemini API (POST <baseUrl>/v1beta/models/<model>:generateContent, and
// :streamGenerateContent?alt=sse for streams), key in the `x-goog-api-key` header (never in the
// URL, where it would reach logs). No client route speaks Gemini's wire, so every request goes
// through `translator` (canonical ↔ Gemini); the passthrough members only read facts.

function generateRequest(provider: RuntimeProvider, upstreamModel: string, body: Record<string, unknown>, stream: boolean): UpstreamRequest {
  const method = stream ? 'streamGenerateContent?alt=sse' : 'generateContent'
  return {
    url: endpointUrl(provider, `/v1beta/models/${pathSegment(upstreamModel.replace(/^models\//, ''))}:${method}`),
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: stream ? 'text/event-stream' : 'application/json',
      'x-goog-api-key': provider.apiKey,
    },
    body: JSON.stringify(body),
  }
}

function createStreamReader(): StreamReader {
  const decoder = new GeminiStreamDecoder()
  const reader: StreamReader = {
    usage: null,
    model: null,
    read(event) {
      const { facts } = decoder.decode(event.data ?? '')
      reader.usage = decoder.usage
      reader.model = decoder.model
      return facts
    },
  }
  return reader
}

export const googleAdapter: ProviderAdapter = {
  wire: 'gemini',
  requestIdHeader: 'x-goog-request-id',
  errorKinds: googleErrorKinds,

  buildChatRequest() {
    throw new GatewayError('SY_ERR_PROVIDER_UNSUPPORTED', 'Gemini connections are served through translation only (no client speaks the Gemini wire).')
  },

  readResponse(json) {
    const response = parseWireResponse(json)
    return { usage: usageOf(response?.usageMetadata), model: response?.modelVersion ?? null }
  },

  createStreamReader,

  translator: {
    toUpstream({ provider, request, upstreamModel }) {
      const { body, degraded } = toGeminiBody(request)
      return { request: generateRequest(provider, upstreamModel, body, request.stream), degraded }
    },
    fromUpstream: responseFromGemini,
    createStreamDecoder: () => new GeminiStreamDecoder(),
    errorFromUpstream: (status, json) => errorFromGemini(status, json),
  },
}
