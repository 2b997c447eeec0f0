import type { IncomingMessage, ServerResponse } from 'node:http'
import { type FakeReply, fakeTokens, hex, pieces, slowPieces } from './fake-content.ts'
import { FAKE_SCRIPTS, scriptedReply, type StatusFailure, statusFailureOf } from './fake-script.ts'
import { type OpenAIAnswer, type OpenAIChatBody, planOpenAIAnswer } from './openai-answer.ts'
import { planResponse, type ResponsesBody, responseJson, sendResponseStream } from './openai-responses.ts'

// A fake of OpenAI's chat completions, embeddings and responses (openai-responses.ts) endpoints, faithful to the documented wire format
// (JSON body, SSE framing, usage blocks, error bodies, request-id and rate-limit headers).
// Behaviour is scripted by the requested model id: the shared scripts (fake-script.ts: error-429
// with retry-after and retry-after-ms, overloaded/error-503, error-500, error-in-stream — chat:
// `data: {"error":…}` first; Responses: `event: error` —, cut-stream, slow-stream, byte-chunks,
// slow-headers, stall-stream) · slow-response (answers after SLOW_RESPONSE_MS) · anything else:
// answers as openai-answer.ts decides (tool calls, tool results, structured output, echo).

export const FAKE_OPENAI_MODELS = { ...FAKE_SCRIPTS, slowResponse: 'slow-response' } as const

export const SLOW_RESPONSE_MS = 500

type ChatBody = OpenAIChatBody

function errorBody(message: string, type: string, code: string | null, param: string | null = null): string {
  return JSON.stringify({ error: { message, type, param, code } })
}

export function baseHeaders(): Record<string, string> {
  return {
    'x-request-id': `req_${hex(16)}`,
    'openai-processing-ms': '12',
    'x-ratelimit-limit-requests': '10000',
    'x-ratelimit-remaining-requests': '9999',
    'x-ratelimit-reset-requests': '6ms',
    'x-ratelimit-limit-tokens': '2000000',
    'x-ratelimit-remaining-tokens': '1999990',
    'x-ratelimit-reset-tokens': '0s',
  }
}

function answerText(answer: OpenAIAnswer): string {
  return answer.content ?? answer.toolCalls.map((c) => c.name + c.arguments).join('')
}

function usageOf(answer: OpenAIAnswer) {
  const promptTokens = fakeTokens(answer.prompt)
  const completionTokens = fakeTokens(answerText(answer)) + answer.reasoningTokens
  return {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: answer.reasoningTokens, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
  }
}

function completion(model: string, answer: OpenAIAnswer): string {
  const message: Record<string, unknown> = { role: 'assistant', content: answer.content, refusal: null, annotations: [] }
  if (answer.toolCalls.length > 0) {
    message.tool_calls = answer.toolCalls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments } }))
  }
  return JSON.stringify({
    id: `chatcmpl-${hex(12)}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: answer.finishReason }],
    usage: usageOf(answer),
    service_tier: 'default',
    system_fingerprint: 'fp_fake0001',
  })
}

/** Tool calls as OpenAI streams them: announced once (index, id, type, name, ""), then argument pieces. */
function toolCallDeltas(answer: OpenAIAnswer): unknown[] {
  return answer.toolCalls.flatMap((call, index) => [
    { tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } }] },
    ...pieces(call.arguments, 3).map((args) => ({ tool_calls: [{ index, function: { arguments: args } }] })),
  ])
}

/** The SSE events of one streamed completion, each already framed as `data: …\n\n`. */
export function streamEvents(model: string, answer: OpenAIAnswer, includeUsage: boolean, contentPieces?: string[]): string[] {
  const id = `chatcmpl-${hex(12)}`
  const created = Math.floor(Date.now() / 1000)
  const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) =>
    `data: ${JSON.stringify({
      id,
      object: 'chat.completion.chunk',
      created,
      model,
      service_tier: 'default',
      system_fingerprint: 'fp_fake0001',
      choices,
      ...(includeUsage ? { usage: null } : {}),
      ...extra,
    })}\n\n`
  const first = answer.content === null ? { role: 'assistant', content: null } : { role: 'assistant', content: '', refusal: null }
  const deltas = answer.content === null ? toolCallDeltas(answer) : (contentPieces ?? answer.content.split(/(?<= )/)).map((content) => ({ content }))
  const events = [chunk([{ index: 0, delta: first, logprobs: null, finish_reason: null }])]
  for (const delta of deltas) events.push(chunk([{ index: 0, delta, logprobs: null, finish_reason: null }]))
  events.push(chunk([{ index: 0, delta: {}, logprobs: null, finish_reason: answer.finishReason }]))
  if (includeUsage) events.push(chunk([], { usage: usageOf(answer) }))
  events.push('data: [DONE]\n\n')
  return events
}

function sendStream(reply: FakeReply, body: ChatBody, model: string, answer: OpenAIAnswer): void {
  const includeUsage = body.stream_options?.include_usage === true
  reply.head(200, { ...baseHeaders(), 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' })
  if (model === FAKE_OPENAI_MODELS.errorInStream) {
    return reply.end(`data: ${errorBody('The server had an error while processing your request. Sorry about that!', 'server_error', null)}\n\n`)
  }
  for (const event of streamEvents(model, answer, includeUsage, model === FAKE_OPENAI_MODELS.slowStream ? slowPieces() : undefined)) reply.write(event)
  reply.end()
}

const FAILURES: Record<StatusFailure, { status: number; body: (model: string) => string; headers?: Record<string, string> }> = {
  'rate-limited': {
    status: 429,
    body: (model) => errorBody(`Rate limit reached for ${model} on requests per min (RPM): Limit 3, Used 3, Requested 1.`, 'requests', 'rate_limit_exceeded'),
    headers: { 'retry-after': '2', 'retry-after-ms': '1500', 'x-ratelimit-remaining-requests': '0' },
  },
  overloaded: { status: 503, body: () => errorBody('The engine is currently overloaded, please try again later', 'server_error', null) },
  'server-error': { status: 500, body: () => errorBody('The server had an error while processing your request. Sorry about that!', 'server_error', null) },
}

/** What every endpoint checks first (OpenAI's order): the key, the JSON body, the scripted errors. */
async function accepted<T extends { model?: unknown }>(rawBody: string, authorization: string | undefined, reply: FakeReply): Promise<T | null> {
  const json = { ...baseHeaders(), 'content-type': 'application/json; charset=utf-8' }
  if (!authorization?.startsWith('Bearer ') || authorization.length <= 'Bearer '.length) {
    reply.head(401, json)
    const message = "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY)."
    reply.end(errorBody(message, 'invalid_request_error', null))
    return null
  }
  let body: T
  try {
    body = JSON.parse(rawBody) as T
  } catch {
    reply.head(400, json)
    reply.end(errorBody('We could not parse the JSON body of your request.', 'invalid_request_error', null))
    return null
  }
  const model = typeof body.model === 'string' ? body.model : ''
  const failure = statusFailureOf(model)
  if (failure) {
    const { status, body: message, headers } = FAILURES[failure]
    reply.head(status, { ...json, ...headers })
    reply.end(message(model))
    return null
  }
  if (model === FAKE_OPENAI_MODELS.slowResponse && !(await reply.sleep(SLOW_RESPONSE_MS))) return null
  return body
}

export async function handleChatCompletions(rawBody: string, authorization: string | undefined, raw: FakeReply): Promise<void> {
  const body = await accepted<ChatBody>(rawBody, authorization, raw)
  if (!body) return
  const model = typeof body.model === 'string' ? body.model : ''
  const reply = scriptedReply(raw, model)
  const answer = planOpenAIAnswer(body)
  if ('error' in answer) {
    reply.head(400, { ...baseHeaders(), 'content-type': 'application/json; charset=utf-8' })
    return reply.end(errorBody(answer.error, 'invalid_request_error', null, 'messages'))
  }
  if (body.stream === true) return sendStream(reply, body, model, answer)
  reply.head(200, { ...baseHeaders(), 'content-type': 'application/json' })
  reply.end(completion(model, answer))
}

/** POST /v1/responses: JSON or SSE (openai-responses.ts). */
export async function handleResponses(rawBody: string, authorization: string | undefined, raw: FakeReply): Promise<void> {
  const body = await accepted<ResponsesBody>(rawBody, authorization, raw)
  if (!body) return
  const model = typeof body.model === 'string' ? body.model : ''
  const reply = scriptedReply(raw, model, { cutAfter: 5 })
  const plan = planResponse(body)
  if (body.stream === true) return sendResponseStream(reply, baseHeaders(), model, plan)
  reply.head(200, { ...baseHeaders(), 'content-type': 'application/json' })
  reply.end(responseJson(model, plan))
}

interface EmbeddingsBody {
  model?: unknown
  input?: unknown
  encoding_format?: unknown
  dimensions?: unknown
}

/** A deterministic unit-ish vector per input text. */
function vectorOf(text: string, dimensions: number): number[] {
  return Array.from({ length: dimensions }, (_, i) => ((text.charCodeAt(i % Math.max(1, text.length)) || 1) % 17) / 17 - 0.5)
}

function encoded(vector: number[], format: unknown): number[] | string {
  if (format !== 'base64') return vector
  return Buffer.from(new Float32Array(vector).buffer).toString('base64')
}

/** POST /v1/embeddings: `{object:"list", data:[{object:"embedding", index, embedding}], model, usage}`; base64 when asked (the SDK's default). */
export async function handleEmbeddings(rawBody: string, authorization: string | undefined, reply: FakeReply): Promise<void> {
  const body = await accepted<EmbeddingsBody>(rawBody, authorization, reply)
  if (!body) return
  const inputs = (Array.isArray(body.input) ? body.input : [body.input]).map((i) => (typeof i === 'string' ? i : JSON.stringify(i)))
  const dimensions = typeof body.dimensions === 'number' ? body.dimensions : 8
  const data = inputs.map((text, index) => ({ object: 'embedding', index, embedding: encoded(vectorOf(text, dimensions), body.encoding_format) }))
  const promptTokens = inputs.reduce((sum, text) => sum + fakeTokens(text), 0)
  reply.head(200, { ...baseHeaders(), 'content-type': 'application/json' })
  reply.end(JSON.stringify({ object: 'list', data, model: typeof body.model === 'string' ? body.model : '', usage: { prompt_tokens: promptTokens, total_tokens: promptTokens } }))
}

export function notFound(req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(404, { 'content-type': 'application/json; charset=utf-8' })
  res.end(errorBody(`Invalid URL (${req.method ?? 'GET'} ${req.url ?? '/'})`, 'invalid_request_error', null))
}
