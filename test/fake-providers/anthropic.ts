import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http'
import { type AnthropicAnswer, answerText, type FakeBlock, type MessagesBody, planAnthropicAnswer } from './anthropic-answer.ts'
import { echo, type FakeReply, fakeTokens, hex, pieces, slowPieces } from './fake-content.ts'
import { FAKE_SCRIPTS, scriptedReply, statusFailureOf } from './fake-script.ts'

// A fake of Anthropic's Messages endpoint (POST /v1/messages), faithful to the documented wire
// format: `x-api-key` + `anthropic-version` required, `request-id` and `anthropic-ratelimit-*`
// headers, `{"type":"error","error":{type,message},"request_id"}` error bodies, and SSE with
// `event:` lines (message_start, content_block_start, ping, content_block_delta × n,
// content_block_stop, message_delta, message_stop). Behaviour is scripted by the model id:
//   the shared scripts (fake-script.ts: error-500 · error-429 with retry-after · overloaded and
//   error-503 as HTTP 529 overloaded_error · error-in-stream / overloaded-in-stream: HTTP 200 SSE
//   whose first event is `event: error` overloaded_error · cut-stream (ends without
//   message_stop) · slow-stream · byte-chunks · slow-headers · stall-stream) · anything else:
//   answers as anthropic-answer.ts decides (tool use, tool results, structured output, thinking, echo).

export const FAKE_ANTHROPIC_MODELS = { ...FAKE_SCRIPTS, overloadedInStream: 'overloaded-in-stream' } as const
const IN_STREAM_ERRORS: readonly string[] = [FAKE_ANTHROPIC_MODELS.overloadedInStream, FAKE_ANTHROPIC_MODELS.errorInStream]

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

function message(model: string, answer: AnthropicAnswer): string {
  return JSON.stringify({
    id: `msg_01${hex(11)}`,
    type: 'message',
    role: 'assistant',
    model,
    content: answer.content,
    stop_reason: answer.stopReason,
    stop_sequence: null,
    usage: usageOf(answer.prompt, fakeTokens(answerText(answer))),
  })
}

const sse = (event: string, data: unknown) => `event: ${event}\ndata: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`

/** One content block as Anthropic streams it: start (empty), deltas, stop. */
function blockEvents(block: FakeBlock, index: number, textPieces: string[] | undefined): string[] {
  const delta = (d: unknown) => sse('content_block_delta', { type: 'content_block_delta', index, delta: d })
  let start: unknown
  let deltas: string[]
  if (block.type === 'text') {
    start = { type: 'text', text: '' }
    deltas = (textPieces ?? block.text.split(/(?<= )/)).map((text) => delta({ type: 'text_delta', text }))
  } else if (block.type === 'thinking') {
    start = { type: 'thinking', thinking: '', signature: '' }
    deltas = [...pieces(block.thinking, 2).map((thinking) => delta({ type: 'thinking_delta', thinking })), delta({ type: 'signature_delta', signature: block.signature })]
  } else {
    start = { type: 'tool_use', id: block.id, name: block.name, input: {} }
    deltas = ['', ...pieces(JSON.stringify(block.input), 3)].map((partial_json) => delta({ type: 'input_json_delta', partial_json }))
  }
  const stop = sse('content_block_stop', { type: 'content_block_stop', index })
  return [sse('content_block_start', { type: 'content_block_start', index, content_block: start }), ...deltas, stop]
}

/** The SSE events of one streamed message, each framed as `event: …\ndata: …\n\n`. */
export function messageEvents(model: string, answer: AnthropicAnswer, textPieces?: string[]): string[] {
  const start = { id: `msg_01${hex(11)}`, type: 'message', role: 'assistant', model, content: [], stop_reason: null, stop_sequence: null }
  const blocks = answer.content.flatMap((block, index) => blockEvents(block, index, textPieces))
  return [
    sse('message_start', { type: 'message_start', message: { ...start, usage: usageOf(answer.prompt, 1) } }),
    ...blocks.slice(0, 1),
    sse('ping', '{"type": "ping"}'),
    ...blocks.slice(1),
    sse('message_delta', {
      type: 'message_delta',
      delta: { stop_reason: answer.stopReason, stop_sequence: null },
      usage: { output_tokens: fakeTokens(textPieces ? textPieces.join('') : answerText(answer)) },
    }),
    sse('message_stop', { type: 'message_stop' }),
  ]
}

function sendStream(reply: FakeReply, model: string, answer: AnthropicAnswer, requestId: string): void {
  reply.head(200, { ...baseHeaders(requestId), 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' })
  if (IN_STREAM_ERRORS.includes(model)) {
    return reply.end(sse('error', { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }))
  }
  for (const event of messageEvents(model, answer, model === FAKE_ANTHROPIC_MODELS.slowStream ? slowPieces() : undefined)) reply.write(event)
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
function validate(headers: IncomingHttpHeaders, rawBody: string, options = { needsMaxTokens: true }): { failure: Failure } | { body: MessagesBody } {
  if (typeof headers['x-api-key'] !== 'string' || headers['x-api-key'].length === 0) {
    return { failure: { status: 401, type: 'authentication_error', message: 'x-api-key header is required' } }
  }
  if (typeof headers['anthropic-version'] !== 'string') {
    return { failure: { status: 400, type: 'invalid_request_error', message: 'anthropic-version: header is required' } }
  }
  const body = parse(rawBody)
  if (body === null) return { failure: { status: 400, type: 'invalid_request_error', message: 'The request body is not valid JSON.' } }
  if (options.needsMaxTokens && typeof body.max_tokens !== 'number') return { failure: { status: 400, type: 'invalid_request_error', message: 'max_tokens: Field required' } }
  return { body }
}

function scriptedError(model: string, stream: boolean): Failure | null {
  const failure = statusFailureOf(model)
  if (failure === 'server-error') return { status: 500, type: 'api_error', message: 'Internal server error' }
  if (failure === 'overloaded' || (IN_STREAM_ERRORS.includes(model) && !stream)) {
    return { status: 529, type: 'overloaded_error', message: 'Overloaded' }
  }
  if (failure === 'rate-limited') {
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
  const answer = planAnthropicAnswer(body)
  if ('error' in answer) return sendError(reply, { status: 400, type: 'invalid_request_error', message: answer.error }, requestId)
  const out = scriptedReply(reply, model, { cutAfter: 4 })
  if (body.stream === true) return sendStream(out, model, answer, requestId)
  out.head(200, { ...baseHeaders(requestId), ...JSON_TYPE })
  out.end(message(model, answer))
}

/**
 * POST /v1/messages/count_tokens → `{"input_tokens": n}` (the same count a message's usage would
 * report; tools add their JSON). Same key/version checks as /v1/messages; no max_tokens needed.
 */
export function handleCountTokens(rawBody: string, headers: IncomingHttpHeaders, reply: FakeReply): void {
  const requestId = `req_011C${hex(10)}`
  const checked = validate(headers, rawBody.length > 0 ? rawBody : 'null', { needsMaxTokens: false })
  if ('failure' in checked) return sendError(reply, checked.failure, requestId)
  const { body } = checked
  if (!Array.isArray(body.messages)) return sendError(reply, { status: 400, type: 'invalid_request_error', message: 'messages: Field required' }, requestId)
  const model = typeof body.model === 'string' ? body.model : ''
  const scripted = scriptedError(model, false)
  if (scripted) return sendError(reply, scripted, requestId)
  const { prompt } = echo(body.messages, body.system)
  const tools = body.tools ? JSON.stringify(body.tools) : ''
  reply.head(200, { ...baseHeaders(requestId), ...JSON_TYPE })
  reply.end(JSON.stringify({ input_tokens: fakeTokens(prompt + tools) }))
}

export function notFound(req: IncomingMessage, res: ServerResponse): void {
  const requestId = `req_011C${hex(10)}`
  res.writeHead(404, { ...baseHeaders(requestId), ...JSON_TYPE })
  res.end(errorBody('not_found_error', `Not found: ${req.method ?? 'GET'} ${req.url ?? '/'}`, requestId))
}
