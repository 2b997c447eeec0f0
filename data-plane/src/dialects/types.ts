import type { GatewayError } from '../errors.ts'
import type { Dialect } from '../providers/types.ts'
import type { CanonicalChatRequest, CanonicalChatResponse, CanonicalError, CanonicalStreamEvent, Degraded } from './canonical.ts'

// What a client dialect (the API family a route speaks) does for translated requests. Pure:
// bodies in, bodies out, no I/O. Registered per Dialect in registry.ts.

/** Renders canonical stream events as the client's SSE frames; per-stream state lives inside. */
export interface StreamEncoder {
  encode(event: CanonicalStreamEvent): string[]
  /** The terminal event for a stream that broke off, when the grammar numbers its events (Responses API). */
  encodeGatewayError?(err: GatewayError): string
}

/** The client API families a translated request can come from: the route dialects, plus the OpenAI Responses API. */
export type ClientApi = Dialect | 'responses'

export interface ErrorAnswer {
  status: number
  body: unknown
}

export interface ClientDialect {
  /** The client's body → canonical; throws a GatewayError (400) for what cannot be translated. */
  parseRequest(body: Record<string, unknown>): { request: CanonicalChatRequest; degraded: Degraded }
  /** `request`: the translated request, for dialects whose responses echo its settings. */
  renderResponse(response: CanonicalChatResponse, request?: CanonicalChatRequest): unknown
  createStreamEncoder(options: { includeUsage: boolean; request?: CanonicalChatRequest }): StreamEncoder
  /** An upstream error (of the other family) as this family's status and error body. */
  renderUpstreamError(error: CanonicalError): ErrorAnswer
  /** A gateway error as this family's error body. */
  renderGatewayError(error: GatewayError): unknown
  /** The terminal in-band error event ending a stream that already sent bytes. */
  renderStreamError(body: unknown): string
}
