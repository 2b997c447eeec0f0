import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http'
import { type FakeReply, fakeTokens, hex, pieces } from './fake-content.ts'
import { FAKE_SCRIPTS, scriptedReply, statusFailureOf } from './fake-script.ts'
import { type GeminiAnswer, type GenerateBody, planGeminiAnswer, refusal } from './google-answer.ts'

// A fake of the Gemini API (generateContent, streamGenerateContent?alt=sse), mounted at
// `/google` (a `google` connection's baseUrl). Faithful to the documented wire format: the key
// in `x-goog-api-key` (a `key=` query parameter is refused here: the gateway must never put it in
// a URL), `{"error":{code,message,status}}` error bodies (google.rpc status names), SSE chunks
// that are whole GenerateContentResponses ending with the one carrying finishReason and
// usageMetadata. Scripted by the model id (fake-script.ts): error-429 (RESOURCE_EXHAUSTED, with
// retry-after) · error-503 / overloaded (UNAVAILABLE) · error-500 (INTERNAL) · error-in-stream
// (HTTP 200 whose first chunk is an error) · cut-stream · slow-stream · byte-chunks · slow-headers
// · stall-stream · anything else: answers as google-answer.ts decides.

export const FAKE_GOOGLE_MODELS = FAKE_SCRIPTS

const JSON_TYPE = { 'content-type': 'application/json; charset=UTF-8' }
const PATH = /^\/google\/v1beta\/models\/([^/:?]+):(generateContent|streamGenerateContent)(\?.*)?$/

function sendError(reply: FakeReply, code: number, status: string, message: string, extra: Record<string, string> = {}): void {
  reply.head(code, { ...JSON_TYPE, ...extra })
  reply.end(JSON.stringify({ error: { code, message, status } }, null, 2))
}

function response(model: string, answer: GeminiAnswer, parts = answer.parts, final = true): Record<string, unknown> {
  const output = answer.parts.map((p) => p.text ?? JSON.stringify(p.functionCall ?? '')).join('')
  const thoughts = answer.parts.filter((p) => p.thought).map((p) => p.text ?? '').join('')
  const usageMetadata = {
    promptTokenCount: fakeTokens(answer.prompt),
    candidatesTokenCount: fakeTokens(output) - (thoughts ? fakeTokens(thoughts) : 0),
    totalTokenCount: fakeTokens(answer.prompt) + fakeTokens(output),
    ...(thoughts ? { thoughtsTokenCount: fakeTokens(thoughts) } : {}),
  }
  const candidate = { content: { parts, role: 'model' }, index: 0, ...(final ? { finishReason: 'STOP' } : {}) }
  return { candidates: [candidate], usageMetadata, modelVersion: model, responseId: hex(10) }
}

function streamChunks(model: string, answer: GeminiAnswer): string[] {
  const split = answer.parts.flatMap((part) => (part.text !== undefined ? pieces(part.text, 3).map((text) => ({ ...part, text })) : [part]))
  return split.map((part, i) => `data: ${JSON.stringify(response(model, answer, [part], i === split.length - 1))}\r\n\r\n`)
}

function parse(raw: string): GenerateBody | null {
  try {
    const body: unknown = JSON.parse(raw)
    return typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as GenerateBody) : null
  } catch {
    return null
  }
}

function scripted(reply: FakeReply, model: string): boolean {
  const failure = statusFailureOf(model)
  if (failure === 'rate-limited') {
    sendError(reply, 429, 'RESOURCE_EXHAUSTED', 'Resource has been exhausted (e.g. check quota).', { 'retry-after': '3' })
  } else if (failure === 'overloaded') {
    sendError(reply, 503, 'UNAVAILABLE', 'The model is overloaded. Please try again later.')
  } else if (failure === 'server-error') {
    sendError(reply, 500, 'INTERNAL', 'An internal error has occurred.')
  } else return false
  return true
}

export function handleGenerate(req: IncomingMessage, rawBody: string, raw: FakeReply): void {
  const match = PATH.exec(req.url ?? '')
  const headers: IncomingHttpHeaders = req.headers
  if (!match?.[1] || new URLSearchParams(match[3] ?? '').has('key')) return sendError(raw, 400, 'INVALID_ARGUMENT', 'The API key must be sent in the x-goog-api-key header.')
  if (typeof headers['x-goog-api-key'] !== 'string' || headers['x-goog-api-key'] === '') {
    return sendError(raw, 403, 'PERMISSION_DENIED', "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.")
  }
  const model = decodeURIComponent(match[1])
  if (scripted(raw, model)) return
  const reply = scriptedReply(raw, model, { cutAfter: 2 })
  const body = parse(rawBody)
  if (!body) return sendError(reply, 400, 'INVALID_ARGUMENT', 'Invalid JSON payload received.')
  const refused = refusal(body)
  if (refused) return sendError(reply, 400, 'INVALID_ARGUMENT', refused)
  const answer = planGeminiAnswer(body)
  if (match[2] === 'generateContent') {
    reply.head(200, JSON_TYPE)
    return reply.end(JSON.stringify(response(model, answer)))
  }
  reply.head(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' })
  if (model === FAKE_GOOGLE_MODELS.errorInStream) {
    return reply.end(`data: ${JSON.stringify({ error: { code: 503, message: 'The model is overloaded.', status: 'UNAVAILABLE' } })}\r\n\r\n`)
  }
  for (const chunk of streamChunks(model, answer)) reply.write(chunk)
  reply.end()
}

export function notFound(req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(404, JSON_TYPE).end(JSON.stringify({ error: { code: 404, message: `Not found: ${req.method ?? 'GET'} ${req.url ?? '/'}`, status: 'NOT_FOUND' } }))
}
