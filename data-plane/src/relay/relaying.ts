import type { GatewayError } from '../errors.ts'
import type { ResponseFacts, StreamEventFacts } from '../providers/types.ts'
import type { SseEvent } from '../upstream/sse.ts'

// How an upstream answer becomes the client's: relay/json.ts and relay/stream.ts own the I/O
// and the outcome rules; a Relaying decides the bytes. relay/passthrough.ts (same API family:
// the upstream's bytes unchanged) and relay/translated.ts (across families: decoded to
// canonical, rendered in the client's dialect) are the two.

export interface WholeAnswer {
  status: number
  body: Buffer | string
  contentType: string | undefined
  facts: ResponseFacts
}

export type DataEvent = SseEvent & { data: string }

export interface StreamStep {
  facts: StreamEventFacts
  /** What to send the client for this upstream event, in order (possibly nothing). */
  frames: (Buffer | string)[]
}

/** Per-stream state. `usage` and `model` are the provider's, as read so far. */
export interface StreamPipe extends ResponseFacts {
  read(event: DataEvent): StreamStep
  /** An upstream event without data (a comment, a keep-alive). */
  comment(event: SseEvent): (Buffer | string)[]
  /** The first event was an in-band error (`step.facts.errorStatus`): the answer to send instead. */
  openingError(first: DataEvent, step: StreamStep): WholeAnswer
  /** The terminal in-band error event for a stream that already sent bytes. */
  terminalError(err: GatewayError): string
  contentType(upstream: string | undefined): string
}

export interface Relaying {
  /** A whole (non-stream, or error) upstream answer: its status, body and content type. */
  whole(status: number, bytes: Buffer, contentType: string | undefined): WholeAnswer
  stream(): StreamPipe
}
