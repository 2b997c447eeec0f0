import type { Usage } from '@switchyard/shared/events'
import type {
  CanonicalChatRequest,
  CanonicalChatResponse,
  CanonicalError,
  CanonicalStreamEvent,
  Degraded,
} from '../dialects/canonical.ts'
import type { RuntimeProvider } from '../runtime/compile.ts'
import type { ErrorKindTable } from './error-kinds.ts'
import type { UpstreamRequest } from '../upstream/client.ts'
import type { SseEvent } from '../upstream/sse.ts'

// A provider adapter is a pure translator (no I/O): it builds the upstream request and reads
// what the gateway needs (usage, model) from the upstream's answers. Per-stream state lives in
// the reader it creates. Optional capabilities are optional members, never stubs: `translator`
// serves clients of the other API family through the canonical types (dialects/canonical.ts).

/** The wire format a client speaks (routes/) and a provider speaks natively. */
export type Dialect = 'openai' | 'anthropic'

/** What a provider speaks: a client dialect, or a wire no client route speaks (served only by translation). */
export type ProviderWire = Dialect | 'gemini' | 'bedrock-converse'

export interface ChatRequestInput {
  provider: RuntimeProvider
  /** The client's parsed body; the adapter copies it, never mutates it. */
  body: Record<string, unknown>
  /** The client's body as sent (passthrough splices `model` into it: passthrough-body.ts). */
  rawBody?: Buffer | undefined
  upstreamModel: string
  stream: boolean
  /** The client asked for usage in its stream; otherwise the adapter asks upstream for it. */
  clientWantsUsage: boolean
  accept: string | undefined
  /** The client's headers the route lets through (e.g. `anthropic-version`), lower-case names. */
  clientHeaders: Readonly<Record<string, string>>
}

export interface ResponseFacts {
  usage: Usage | null
  /** The model the provider says it served. */
  model: string | null
}

export interface StreamEventFacts {
  /** The end-of-stream marker (`[DONE]`, `message_stop`). */
  done: boolean
  /** The usage-only event the gateway asked for on the client's behalf. */
  usageOnly: boolean
  /** An in-band error event: the HTTP status the upstream would have answered with. */
  errorStatus?: number
}

export interface StreamReader extends ResponseFacts {
  /**
   * Reads one SSE event with data; updates usage/model as it goes. Passthrough relays call this
   * for every event of a stream, so a reader decodes `data` only for the events that can matter
   * (telling them apart on `raw` where it can).
   */
  read(event: SseEvent): StreamEventFacts
}

/** An upstream request, plus what the adapter had to drop or rename for this upstream (named in `x-switchyard-degraded`). */
export type BuiltRequest = UpstreamRequest & { degraded?: readonly string[] }

/**
 * One more endpoint a provider serves in its own wire format (passthrough: the client's body with
 * `model` replaced, the answer relayed as bytes and only read for usage and model).
 */
export interface EndpointCapability {
  buildRequest(input: ChatRequestInput): BuiltRequest
  /** Reads a whole 2xx answer's top-level `model` and `usage` (the only members the passthrough relay parses). */
  readResponse(json: unknown): ResponseFacts
  /** Streaming endpoints only. */
  createStreamReader?(): StreamReader
}

export interface ProviderAdapter {
  wire: ProviderWire
  /** The upstream response header carrying the provider's own request id. */
  requestIdHeader: string
  /** How this provider names its failures, as data: read by providers/error-kinds.ts into the contract's error kinds. */
  errorKinds: ErrorKindTable
  buildChatRequest(input: ChatRequestInput): BuiltRequest
  /** Reads a whole 2xx answer's top-level `model` and `usage` (the only members the passthrough relay parses). */
  readResponse(json: unknown): ResponseFacts
  createStreamReader(): StreamReader
  translator?: ProviderTranslator
  /** POST /v1/embeddings (OpenAI wire). */
  embeddings?: EndpointCapability
  /** POST /v1/responses (OpenAI Responses API wire). */
  responses?: EndpointCapability
  /** POST /v1/messages/count_tokens (Anthropic wire): exact counts from the provider. */
  countTokens?: EndpointCapability
}

export interface CanonicalRequestInput {
  provider: RuntimeProvider
  request: CanonicalChatRequest
  upstreamModel: string
}

/** Per-stream state: upstream SSE events → canonical events (plus the facts the relay needs). */
export interface CanonicalStreamDecoder extends ResponseFacts {
  decode(data: string, event: string | null): { facts: StreamEventFacts; events: CanonicalStreamEvent[] }
}

/** Serving a client of the other API family: the upstream's wire ↔ canonical. */
export interface ProviderTranslator {
  /** What the upstream cannot take is dropped and named in `degraded`. */
  toUpstream(input: CanonicalRequestInput): { request: UpstreamRequest; degraded: Degraded }
  /** A 2xx body → canonical; null when it is not a response this adapter can read. */
  fromUpstream(json: unknown): CanonicalChatResponse | null
  createStreamDecoder(): CanonicalStreamDecoder
  /** A non-2xx answer (body parsed if JSON, else null) → canonical. */
  errorFromUpstream(status: number, json: unknown): CanonicalError
  /** A stream framing other than SSE (Bedrock's binary event stream); absent = SSE. */
  streamFraming?: StreamFraming
}

/** Splits a non-SSE stream into events shaped like SSE events (`data` = the payload text). */
export interface StreamFramer {
  push(chunk: Buffer): SseEvent[]
  end(): SseEvent[]
}

export interface StreamFraming {
  /** The upstream's stream content type (instead of `text/event-stream`). */
  contentType: string
  create(): StreamFramer
}
