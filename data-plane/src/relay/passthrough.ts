import type { RequestContext } from '../pipeline/context.ts'
import { renderStreamError } from '../plugins/error-handler.ts'
import type { ProviderAdapter } from '../providers/types.ts'
import type { Relaying, StreamPipe } from './relaying.ts'

// Same API family: the upstream's bytes unchanged, success or error; usage and model read from
// a parsed copy. The one exception (CONTRACT.md): when the gateway asked for usage on the
// client's behalf, the final usage-only event is dropped.

export function passthroughRelaying(ctx: RequestContext, adapter: ProviderAdapter): Relaying {
  return {
    whole(status, bytes, contentType) {
      let facts = { usage: null, model: null } as ReturnType<ProviderAdapter['readResponse']>
      if (status >= 200 && status < 300) {
        try {
          facts = adapter.readResponse(JSON.parse(bytes.toString('utf8')))
        } catch {
          // Not JSON: relayed as-is all the same; usage stays unknown.
        }
      }
      return { status, body: bytes, contentType, facts }
    },
    stream() {
      const reader = adapter.createStreamReader()
      const pipe: StreamPipe = {
        get usage() {
          return reader.usage
        },
        get model() {
          return reader.model
        },
        read(event, out) {
          const facts = reader.read(event)
          if (!facts.usageOnly || ctx.clientWantsUsage) out.push(event.raw)
          return facts
        },
        comment: (event, out) => out.push(event.raw),
        openingError: (first, facts) => ({ status: facts.errorStatus ?? 502, body: Buffer.from(first.data ?? ''), contentType: 'application/json', facts: pipe }),
        terminalError: (err) => renderStreamError(err, ctx.dialect),
        contentType: (upstream) => upstream ?? 'text/event-stream',
      }
      return pipe
    },
  }
}
