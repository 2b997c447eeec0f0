import type { Usage } from '@switchyard/shared/events'
import type { RuntimeProvider } from '../runtime/compile.ts'
import type { UpstreamRequest } from '../upstream/client.ts'

// A provider adapter is a pure translator (no I/O): it builds the upstream request and reads
// what the gateway needs (usage, model) from the upstream's answers. Per-stream state lives in
// the reader it creates. Optional capabilities will be optional members, never stubs.

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
}

export interface ResponseFacts {
  usage: Usage | null
  /** The model the provider says it served. */
  model: string | null
}

export interface StreamEventFacts {
  /** The end-of-stream sentinel (`[DONE]`). */
  done: boolean
  /** The usage-only event the gateway asked for on the client's behalf. */
  usageOnly: boolean
}

export interface StreamReader extends ResponseFacts {
  /** Reads one SSE event's data; updates usage/model as it goes. */
  read(data: string): StreamEventFacts
}

export interface ProviderAdapter {
  wire: Dialect
  buildChatRequest(input: ChatRequestInput): UpstreamRequest
  readResponse(json: unknown): ResponseFacts
  createStreamReader(): StreamReader
}
