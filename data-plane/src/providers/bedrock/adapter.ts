import { signV4 } from '@switchyard/shared/aws'
import { GatewayError } from '../../errors.ts'
import type { RuntimeProvider } from '../../runtime/compile.ts'
import type { UpstreamRequest } from '../../upstream/client.ts'
import { endpointUrl, pathSegment } from '../endpoint.ts'
import type { ProviderAdapter, StreamReader } from '../types.ts'
import { EventStreamFramer } from './event-stream.ts'
import { errorFromBedrock, responseFromConverse } from './from-upstream.ts'
import { BedrockStreamDecoder } from './stream-decoder.ts'
import { toConverseBody } from './to-upstream.ts'
import { WireConverseResponse, usageOf } from './wire.ts'
import { bedrockErrorKinds } from './error-kinds.ts'

// Amazon Bedrock Converse (POST <baseUrl>/model/<modelId>/converse) and ConverseStream
// (/converse-stream, answered in the binary event stream, event-stream.ts), SigV4-signed
// (service `bedrock`, region from the connection's settings, credentials opened at compile as
// JSON). No client route speaks Converse, so every request goes through `translator`.

export const EVENT_STREAM_TYPE = 'application/vnd.amazon.eventstream'

function regionOf(provider: RuntimeProvider): string {
  const region = provider.settings.region
  if (typeof region === 'string' && region.length > 0) return region
  const fromHost = provider.baseUrl ? /bedrock-runtime(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com/.exec(provider.baseUrl)?.[1] : undefined
  if (fromHost) return fromHost
  throw new GatewayError('SY_ERR_PROVIDER_MISCONFIGURED', `Bedrock connection '${provider.name}' has no region (settings.region).`)
}

/**
 * The request path as sent (model id percent-encoded once: `anthropic.claude-…-v1:0` →
 * `…-v1%3A0`) and as signed: AWS signs every non-S3 path segment encoded twice. The shared signer
 * encodes each segment of the URL it is given after decoding it once, so it is handed the path
 * encoded twice to produce the canonical path AWS computes (`…-v1%253A0`).
 */
export function converseUrls(provider: RuntimeProvider, modelId: string, stream: boolean): { send: URL; sign: URL } {
  const operation = stream ? 'converse-stream' : 'converse'
  const send = endpointUrl(provider, `/model/${pathSegment(modelId)}/${operation}`)
  const sign = new URL(send)
  sign.pathname = send.pathname
    .split('/')
    .map((segment) => encodeURIComponent(segment))
    .join('/')
  return { send, sign }
}

export function converseRequest(provider: RuntimeProvider, modelId: string, body: Record<string, unknown>, stream: boolean, now?: Date): UpstreamRequest {
  if (!provider.aws) throw new GatewayError('SY_ERR_PROVIDER_MISCONFIGURED', `Bedrock connection '${provider.name}' has no AWS credentials.`)
  const { send, sign } = converseUrls(provider, modelId, stream)
  const json = JSON.stringify(body)
  const accept = stream ? EVENT_STREAM_TYPE : 'application/json'
  const signed = signV4(
    { method: 'POST', url: sign, headers: { 'content-type': 'application/json', accept }, body: json, region: regionOf(provider), service: 'bedrock', ...(now ? { now } : {}) },
    provider.aws,
  )
  // undici sets `host` itself, from the same origin that was signed.
  const headers = Object.fromEntries(Object.entries(signed.headers).filter(([name]) => name !== 'host'))
  return { url: send, method: 'POST', headers, body: json }
}

function createStreamReader(): StreamReader {
  const decoder = new BedrockStreamDecoder()
  const reader: StreamReader = {
    usage: null,
    model: null,
    read(event) {
      const { facts } = decoder.decode(event.data ?? '', event.event)
      reader.usage = decoder.usage
      return facts
    },
  }
  return reader
}

export const bedrockAdapter: ProviderAdapter = {
  wire: 'bedrock-converse',
  requestIdHeader: 'x-amzn-requestid',
  errorKinds: bedrockErrorKinds,

  buildChatRequest() {
    throw new GatewayError('SY_ERR_PROVIDER_UNSUPPORTED', 'Bedrock connections are served through translation only (no client speaks the Converse wire).')
  },

  readResponse(json) {
    const parsed = WireConverseResponse.safeParse(json)
    return { usage: parsed.success ? usageOf(parsed.data.usage) : null, model: null }
  },

  createStreamReader,

  translator: {
    toUpstream({ provider, request, upstreamModel }) {
      const { body, degraded } = toConverseBody(request, upstreamModel)
      return { request: converseRequest(provider, upstreamModel, body, request.stream), degraded }
    },
    fromUpstream: responseFromConverse,
    createStreamDecoder: () => new BedrockStreamDecoder(),
    errorFromUpstream: (status, json) => errorFromBedrock(status, json),
    streamFraming: { contentType: EVENT_STREAM_TYPE, create: () => new EventStreamFramer() },
  },
}
