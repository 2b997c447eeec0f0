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

/** Collects what the client gets, in order; the stream relay writes it once per upstream chunk. */
export interface FrameSink {
  push(frame: Buffer | string): void
}

/** Per-stream state. `usage` and `model` are the provider's, as read so far. */
export interface StreamPipe extends ResponseFacts {
  /** Reads one upstream event with data (`event.hasData`); pushes what the client gets for it (possibly nothing). */
  read(event: SseEvent, out: FrameSink): StreamEventFacts
  /** An upstream event without data (a comment, a keep-alive). */
  comment(event: SseEvent, out: FrameSink): void
  /** The first event was an in-band error (`facts.errorStatus`): the answer to send instead. */
  openingError(first: SseEvent, facts: StreamEventFacts): WholeAnswer
  /** The terminal in-band error event for a stream that already sent bytes. */
  terminalError(err: GatewayError): string
  contentType(upstream: string | undefined): string
}

export interface Relaying {
  /** A whole (non-stream, or error) upstream answer: its status, body and content type. */
  whole(status: number, bytes: Buffer, contentType: string | undefined): WholeAnswer
  stream(): StreamPipe
}
