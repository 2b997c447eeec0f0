import { GatewayError } from '../errors.ts'
import type { CanonicalError } from '../dialects/canonical.ts'
import type { ClientDialect, StreamEncoder } from '../dialects/types.ts'
import type { RequestContext } from '../pipeline/context.ts'
import { renderStreamError } from '../http/errors.ts'
import type { CanonicalStreamDecoder, ProviderTranslator, StreamEventFacts } from '../providers/types.ts'
import type { SseEvent } from '../upstream/sse.ts'
import type { FrameSink, Relaying, StreamPipe, WholeAnswer } from './relaying.ts'

// Across API families: the upstream's answer decoded to canonical by the provider's translator
// and rendered in the client's dialect — whole responses, streams event by event, and errors
// (with the status the client's family uses for them). Usage stays the provider's report.

const JSON_TYPE = 'application/json'

function parseJson(bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'))
  } catch {
    return null
  }
}

function errorAnswer(client: ClientDialect, error: CanonicalError): WholeAnswer {
  const rendered = client.renderUpstreamError(error)
  return { status: rendered.status, body: JSON.stringify(rendered.body), contentType: JSON_TYPE, facts: { usage: null, model: null } }
}

/** A class for the same reason as relay/passthrough.ts PassthroughPipe: one hidden class for every stream. */
class TranslatedPipe implements StreamPipe {
  private readonly decoder: CanonicalStreamDecoder
  private readonly encoder: StreamEncoder
  private lastError: CanonicalError | null = null

  constructor(
    private readonly ctx: RequestContext,
    private readonly client: ClientDialect,
    translator: ProviderTranslator,
  ) {
    this.decoder = translator.createStreamDecoder()
    const request = ctx.translation?.request
    this.encoder = client.createStreamEncoder({ includeUsage: request?.streamUsage ?? false, ...(request ? { request } : {}) })
  }

  get usage() {
    return this.decoder.usage
  }

  get model() {
    return this.decoder.model
  }

  read(event: SseEvent, out: FrameSink): StreamEventFacts {
    const { facts, events } = this.decoder.decode(event.data ?? '', event.event)
    for (const e of events) {
      if (e.type === 'error') this.lastError = e.error
      for (const frame of this.encoder.encode(e)) out.push(frame)
    }
    return facts
  }

  comment(): void {}

  openingError(_first: SseEvent, facts: StreamEventFacts): WholeAnswer {
    return errorAnswer(this.client, this.lastError ?? { kind: 'api_error', status: facts.errorStatus ?? 502, message: 'The upstream provider failed.' })
  }

  terminalError(err: GatewayError): string {
    return this.encoder.encodeGatewayError?.(err) ?? renderStreamError(err, this.ctx.dialect)
  }

  contentType(): string {
    return 'text/event-stream; charset=utf-8'
  }
}

export function translatedRelaying(ctx: RequestContext, client: ClientDialect, translator: ProviderTranslator): Relaying {
  return {
    whole(status, bytes) {
      const json = parseJson(bytes)
      if (status < 200 || status >= 300) return errorAnswer(client, translator.errorFromUpstream(status, json))
      const response = translator.fromUpstream(json)
      if (!response) throw new GatewayError('SY_ERR_UPSTREAM_BAD_RESPONSE', 'The upstream provider sent a response the gateway could not read.')
      const facts = { usage: response.usage, model: response.model || null }
      return { status, body: JSON.stringify(client.renderResponse(response, ctx.translation?.request)), contentType: JSON_TYPE, facts }
    },
    stream: () => new TranslatedPipe(ctx, client, translator),
  }
}
