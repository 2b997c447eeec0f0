import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http'
import { echo, type FakeReply, fakeTokens, hex, SLOW_STREAM, slowPieces } from './fake-content.ts'

// A fake of Anthropic's Messages endpoint (POST /v1/messages), faithful to the documented wire
// format: `x-api-key` + `anthropic-version` required, `request-id` and `anthropic-ratelimit-*`
// headers, `{"type":"error","error":{type,message},"request_id"}` error bodies, and SSE with
// `event:` lines (message_start, content_block_start, ping, content_block_delta × n,
// content_block_stop, message_delta, message_stop). Behaviour is scripted by the model id:
//   error-500 · error-429 (retry-after) · overloaded (HTTP 529) · overloaded-in-stream (HTTP 200
//   SSE whose first event is `event: error`) · cut-stream (ends without message_stop) ·
//   slow-stream (drips events) · anything else: echoes the last user message.

export const FAKE_ANTHROPIC_MODELS = {
  error500: 'error-500',
  error429: 'error-429',
  overloaded: 'overloaded',
  overloadedInStream: 'overloaded-in-stream',
  cutStream: 'cut-stream',
  slowStream: 'slow-stream',
} as const

interface MessagesBody {
  model?: unknown
  system?: unknown
  messages?: unknown
  max_tokens?: unknown
  stream?: unknown
}

type ErrorType = 'invalid_request_error' | 'authentication_error' | 'not_found_error' | 'rate_limit_error' | 'api_error' | 'overloaded_error'

const JSON_TYPE = { 'content-type': 'application/json' }

function baseHeaders(requestId: string): Record<string, string> {
  const reset = new Date(Date.now() + 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z')
  const headers: Record<string, string> = { 'request-id': requestId, 'anthropic-organization-id': 'fake-org-0001' }
  const limits = { requests: ['4000', '3999'], tokens: ['480000', '479990'], 'input-tokens': ['400000', '399990'], 'output-tokens': ['80000', '80000'] }
  for (const [name, [limit, remaining]] of Object.entries(limits)) {
    headers[`anthropic-ratelimit-${name}-limit`] = limit as string
    headers[`anthropic-ratelimit-${name}-remaining`] = remaining as string
    headers[`anthropic-ratelimit-${name}-reset`] = reset
  }
  return headers
}

function errorBody(type: ErrorType, message: string, requestId: string): string {
  return JSON.stringify({ type: 'error', error: { type, message }, request_id: requestId })
}

function usageOf(prompt: string, outputTokens: number) {
  return { input_tokens: fakeTokens(prompt), cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: outputTokens }
}

function message(model: string, prompt: string, content: string): string {
  return JSON.stringify({
    id: `msg_01${hex(11)}`,
    type: 'message',
    role: 'assistant',
    model,
    content: [{ type: 'text', text: content }],
    stop_reason: 'end_turn',
    stop_sequence: null,
    usage: usageOf(prompt, fakeTokens(content)),
  })
}

const sse = (event: string, data: unknown) => `event: ${event}\ndata: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`

/** The SSE events of one streamed message, each framed as `event: …\ndata: …\n\n`. */
export function messageEvents(model: string, prompt: string, content: string, pieces?: string[]): string[] {
  const start = { id: `msg_01${hex(11)}`, type: 'message', role: 'assistant', model, content: [], stop_reason: null, stop_sequence: null }
  const deltas = pieces ?? content.split(/(?<= )/)
  return [
    sse('message_start', { type: 'message_start', message: { ...start, usage: usageOf(prompt, 1) } }),
    sse('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }),
    sse('ping', '{"type": "ping"}'),
    ...deltas.map((text) => sse('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } })),
    sse('content_block_stop', { type: 'content_block_stop', index: 0 }),
    sse('message_delta', {
      type: 'message_delta',
      delta: { stop_reason: 'end_turn', stop_sequence: null },
      usage: { output_tokens: fakeTokens(deltas.join('')) },
    }),
    sse('message_stop', { type: 'message_stop' }),
  ]
}

async function sendStream(reply: FakeReply, body: MessagesBody, model: string, requestId: string): Promise<void> {
  const { prompt, content } = echo(body.messages, body.system)
  reply.head(200, { ...baseHeaders(requestId), 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' })
  if (model === FAKE_ANTHROPIC_MODELS.overloadedInStream) {
    return reply.end(sse('error', { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }))
  }
  if (model === FAKE_ANTHROPIC_MODELS.slowStream) {
    for (const event of messageEvents(model, prompt, content, slowPieces())) {
      reply.write(event)
      if (!(await reply.sleep(SLOW_STREAM.intervalMs))) return
    }
    return reply.end()
  }
  const events = messageEvents(model, prompt, content)
  if (model === FAKE_ANTHROPIC_MODELS.cutStream) {
    for (const event of events.slice(0, 4)) reply.write(event)
    return reply.end()
  }
  for (const event of events) reply.write(event)
  reply.end()
}

interface Failure {
  status: number
  type: ErrorType
  message: string
  headers?: Record<string, string>
}

function parse(rawBody: string): MessagesBody | null {
  try {
    const body: unknown = JSON.parse(rawBody)
    return typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as MessagesBody) : null
  } catch {
    return null
  }
}

/** The documented refusals, in Anthropic's order: key, version, body. */
function validate(headers: IncomingHttpHeaders, rawBody: string): { failure: Failure } | { body: MessagesBody } {
  if (typeof headers['x-api-key'] !== 'string' || headers['x-api-key'].length === 0) {
    return { failure: { status: 401, type: 'authentication_error', message: 'x-api-key header is required' } }
  }
  if (typeof headers['anthropic-version'] !== 'string') {
    return { failure: { status: 400, type: 'invalid_request_error', message: 'anthropic-version: header is required' } }
  }
  const body = parse(rawBody)
  if (body === null) return { failure: { status: 400, type: 'invalid_request_error', message: 'The request body is not valid JSON.' } }
  if (typeof body.max_tokens !== 'number') return { failure: { status: 400, type: 'invalid_request_error', message: 'max_tokens: Field required' } }
  return { body }
}

function scriptedError(model: string, stream: boolean): Failure | null {
  if (model === FAKE_ANTHROPIC_MODELS.error500) return { status: 500, type: 'api_error', message: 'Internal server error' }
  if (model === FAKE_ANTHROPIC_MODELS.overloaded || (model === FAKE_ANTHROPIC_MODELS.overloadedInStream && !stream)) {
    return { status: 529, type: 'overloaded_error', message: 'Overloaded' }
  }
  if (model === FAKE_ANTHROPIC_MODELS.error429) {
    const message = 'This request would exceed the rate limit for your organization of 50 requests per minute.'
    return { status: 429, type: 'rate_limit_error', message, headers: { 'retry-after': '2', 'anthropic-ratelimit-requests-remaining': '0' } }
  }
  return null
}

function sendError(reply: FakeReply, failure: Failure, requestId: string): void {
  reply.head(failure.status, { ...baseHeaders(requestId), ...JSON_TYPE, ...failure.headers })
  reply.end(errorBody(failure.type, failure.message, requestId))
}

export async function handleMessages(rawBody: string, headers: IncomingHttpHeaders, reply: FakeReply): Promise<void> {
  const requestId = `req_011C${hex(10)}`
  const checked = validate(headers, rawBody)
  if ('failure' in checked) return sendError(reply, checked.failure, requestId)
  const { body } = checked
  const model = typeof body.model === 'string' ? body.model : ''
  const scripted = scriptedError(model, body.stream === true)
  if (scripted) return sendError(reply, scripted, requestId)
  if (body.stream === true) return sendStream(reply, body, model, requestId)
  const { prompt, content } = echo(body.messages, body.system)
  reply.head(200, { ...baseHeaders(requestId), ...JSON_TYPE })
  reply.end(message(model, prompt, content))
}

export function notFound(req: IncomingMessage, res: ServerResponse): void {
  const requestId = `req_011C${hex(10)}`
  res.writeHead(404, { ...baseHeaders(requestId), ...JSON_TYPE })
  res.end(errorBody('not_found_error', `Not found: ${req.method ?? 'GET'} ${req.url ?? '/'}`, requestId))
}
