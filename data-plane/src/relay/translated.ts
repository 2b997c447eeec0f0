import { GatewayError } from '../errors.ts'
import type { CanonicalError } from '../dialects/canonical.ts'
import type { ClientDialect } from '../dialects/types.ts'
import type { RequestContext } from '../pipeline/context.ts'
import { renderStreamError } from '../plugins/error-handler.ts'
import type { ProviderTranslator } from '../providers/types.ts'
import type { Relaying, StreamPipe, WholeAnswer } from './relaying.ts'

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
    stream() {
      const decoder = translator.createStreamDecoder()
      const request = ctx.translation?.request
      const encoder = client.createStreamEncoder({ includeUsage: request?.streamUsage ?? false, ...(request ? { request } : {}) })
      let lastError: CanonicalError | null = null
      const pipe: StreamPipe = {
        get usage() {
          return decoder.usage
        },
        get model() {
          return decoder.model
        },
        read(event, out) {
          const { facts, events } = decoder.decode(event.data ?? '', event.event)
          for (const e of events) {
            if (e.type === 'error') lastError = e.error
            for (const frame of encoder.encode(e)) out.push(frame)
          }
          return facts
        },
        comment: () => {},
        openingError: (_first, facts) =>
          errorAnswer(client, lastError ?? { kind: 'api_error', status: facts.errorStatus ?? 502, message: 'The upstream provider failed.' }),
        terminalError: (err) => encoder.encodeGatewayError?.(err) ?? renderStreamError(err, ctx.dialect),
        contentType: () => 'text/event-stream; charset=utf-8',
      }
      return pipe
    },
  }
}
