import type { FastifyInstance } from 'fastify'
import { dialects } from '../../dialects/registry.ts'
import { responsesStreamError } from '../../providers/openai/responses.ts'
import type { GatewayError } from '../../errors.ts'
import type { StreamEventFacts } from '../../providers/types.ts'
import type { FrameSink, StreamPipe, WholeAnswer } from '../../relay/relaying.ts'
import type { SseEvent } from '../../upstream/sse.ts'
import type { EndpointOperation } from '../endpoint-operation.ts'
import { registerGatewayEndpoint } from '../gateway-endpoint.ts'

// POST /v1/responses (OpenAI Responses API). To `openai` connections: passed through byte for
// byte, JSON and streams (`event:` + `data:` frames); usage is read from the response object /
// the stream's response.completed event. Errors keep their status and body. A stream whose
// first event is an `error` becomes an error response; one that breaks off after that gets a
// terminal `event: error` in the Responses grammar (and is logged `incomplete`).
// Every other connection type (anthropic, google, bedrock, azure-openai, openai-compatible) is
// served by translation: the `responses` client dialect (dialects/responses/) maps the request
// to canonical and renders the provider's answer as a Responses object / event stream.

function openingError(data: string, status: number): WholeAnswer {
  let event: { code?: unknown; message?: unknown; param?: unknown } = {}
  try {
    event = JSON.parse(data) as typeof event
  } catch {
    // not JSON: a generic message below
  }
  const error = {
    message: typeof event.message === 'string' ? event.message : 'The upstream provider failed.',
    type: status >= 500 ? 'server_error' : 'invalid_request_error',
    param: typeof event.param === 'string' ? event.param : null,
    code: typeof event.code === 'string' ? event.code : null,
  }
  return { status, body: JSON.stringify({ error }), contentType: 'application/json', facts: { usage: null, model: null } }
}

/** The passthrough pipe, with the Responses API's own error events (a class: see relay/passthrough.ts). */
class ResponsesPipe implements StreamPipe {
  private events = 0

  constructor(private readonly pipe: StreamPipe) {}

  get usage() {
    return this.pipe.usage
  }

  get model() {
    return this.pipe.model
  }

  read(event: SseEvent, out: FrameSink): StreamEventFacts {
    this.events += 1
    return this.pipe.read(event, out)
  }

  comment(event: SseEvent, out: FrameSink): void {
    this.pipe.comment(event, out)
  }

  openingError(first: SseEvent, facts: StreamEventFacts): WholeAnswer {
    return openingError(first.data ?? '', facts.errorStatus ?? 502)
  }

  terminalError(err: GatewayError): string {
    return responsesStreamError({ code: err.spec.openai.code, message: err.message }, this.events)
  }

  contentType(upstream: string | undefined): string {
    return this.pipe.contentType(upstream)
  }
}

export function responsesPipe(pipe: StreamPipe): StreamPipe {
  return new ResponsesPipe(pipe)
}

export const responsesOperation: EndpointOperation = {
  label: 'POST /v1/responses',
  body: true,
  metered: true,
  serve(target) {
    if (target.adapter.responses) return { kind: 'passthrough', capability: target.adapter.responses, decorate: responsesPipe }
    return target.adapter.translator ? { kind: 'translate', client: dialects.responses } : null
  },
  unsupportedHint: 'Use POST /v1/chat/completions with this connection.',
}

export default async function responses(app: FastifyInstance) {
  registerGatewayEndpoint(app, { endpoint: '/v1/responses', dialect: 'openai', operation: responsesOperation })
}
