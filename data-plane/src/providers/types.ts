import type { Usage } from '@switchyard/shared/events'
import type {
  CanonicalChatRequest,
  CanonicalChatResponse,
  CanonicalError,
  CanonicalStreamEvent,
  Degraded,
} from '../dialects/canonical.ts'
import type { RuntimeProvider } from '../runtime/compile.ts'
import type { UpstreamRequest } from '../upstream/client.ts'

// A provider adapter is a pure translator (no I/O): it builds the upstream request and reads
// what the gateway needs (usage, model) from the upstream's answers. Per-stream state lives in
// the reader it creates. Optional capabilities are optional members, never stubs: `translator`
// serves clients of the other API family through the canonical types (dialects/canonical.ts).

/** The wire format a client speaks (routes/) and a provider speaks natively. */
export type Dialect = 'openai' | 'anthropic'

export interface ChatRequestInput {
  provider: RuntimeProvider
  /** The client's parsed body; the adapter copies it, never mutates it. */
  body: Record<string, unknown>
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
  /** Reads one SSE event (its data, and its `event:` name if any); updates usage/model as it goes. */
  read(data: string, event: string | null): StreamEventFacts
}

export interface ProviderAdapter {
  wire: Dialect
  /** The upstream response header carrying the provider's own request id. */
  requestIdHeader: string
  buildChatRequest(input: ChatRequestInput): UpstreamRequest
  readResponse(json: unknown): ResponseFacts
  createStreamReader(): StreamReader
  translator?: ProviderTranslator
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
}
