import type { GatewayError } from '../errors.ts'
import type { RequestContext } from '../pipeline/context.ts'
import { renderStreamError } from '../http/errors.ts'
import type { ProviderAdapter, ResponseFacts, StreamEventFacts, StreamReader } from '../providers/types.ts'
import { pickMembers } from '../json/members.ts'
import type { SseEvent } from '../upstream/sse.ts'
import type { FrameSink, Relaying, StreamPipe, WholeAnswer } from './relaying.ts'

// Same API family: the upstream's bytes unchanged, success or error; usage and model read from
// a parsed copy. The one exception (CONTRACT.md): when the gateway asked for usage on the
// client's behalf, the final usage-only event is dropped.

const NO_FACTS: ResponseFacts = { usage: null, model: null }
/** What every passthrough adapter's readResponse reads of a whole answer: its top-level model and usage. */
const RESPONSE_MEMBERS = ['model', 'usage']
/** Below this, JSON.parse of the whole answer is cheaper than finding the two members in it. */
const PICK_ABOVE_BYTES = 16 * 1024

/**
 * The answer's model and usage: a long answer (a long completion, embeddings) has only those
 * members parsed, the rest skipped. Null when it is not a JSON object: it is relayed as-is all
 * the same, and usage stays unknown.
 */
function readMembers(bytes: Buffer): unknown {
  if (bytes.length > PICK_ABOVE_BYTES) return pickMembers(bytes, RESPONSE_MEMBERS)
  try {
    return JSON.parse(bytes.toString('utf8')) as unknown
  } catch {
    return null
  }
}

/**
 * A class, not an object literal with getters: a literal's accessors are closures made per call,
 * so V8 gives every such object a hidden class of its own, and that map (kept until a full GC)
 * held the closures and through them the whole request — promoted to the old generation by
 * every scavenge under load.
 */
class PassthroughPipe implements StreamPipe {
  private readonly reader: StreamReader

  constructor(
    private readonly ctx: RequestContext,
    adapter: ProviderAdapter,
  ) {
    this.reader = adapter.createStreamReader()
  }

  get usage() {
    return this.reader.usage
  }

  get model() {
    return this.reader.model
  }

  read(event: SseEvent, out: FrameSink): StreamEventFacts {
    const facts = this.reader.read(event)
    if (!facts.usageOnly || this.ctx.clientWantsUsage) out.push(event.raw)
    return facts
  }

  comment(event: SseEvent, out: FrameSink): void {
    out.push(event.raw)
  }

  openingError(first: SseEvent, facts: StreamEventFacts): WholeAnswer {
    return { status: facts.errorStatus ?? 502, body: Buffer.from(first.data ?? ''), contentType: 'application/json', facts: { usage: this.usage, model: this.model } }
  }

  terminalError(err: GatewayError): string {
    return renderStreamError(err, this.ctx.dialect)
  }

  contentType(upstream: string | undefined): string {
    return upstream ?? 'text/event-stream'
  }
}

export function passthroughRelaying(ctx: RequestContext, adapter: ProviderAdapter): Relaying {
  return {
    whole(status, bytes, contentType) {
      const read = status >= 200 && status < 300 ? readMembers(bytes) : null
      return { status, body: bytes, contentType, facts: read ? adapter.readResponse(read) : NO_FACTS }
    },
    stream: () => new PassthroughPipe(ctx, adapter),
  }
}
