import { type FakeReply, fakeTokens, hex, textOf } from './fake-content.ts'

// A fake of OpenAI's Responses API (POST /v1/responses), faithful to the documented format: the
// `response` object (output message with `output_text` parts, usage with input/output token
// details), and the stream's `event:` + `data:` frames with `type` and `sequence_number`:
// response.created, response.in_progress, response.output_item.added,
// response.content_part.added, response.output_text.delta × n, response.output_text.done,
// response.content_part.done, response.output_item.done, response.completed.
// It echoes the last user input. Scripted by model: error-500, error-429, cut-stream (ends
// without response.completed, fake-script.ts), error-in-stream (the first event is `event: error`).

export interface ResponsesBody {
  model?: unknown
  input?: unknown
  instructions?: unknown
  stream?: unknown
}

interface InputItem {
  role?: unknown
  content?: unknown
}

function inputText(content: unknown): string {
  if (Array.isArray(content)) {
    return (content as { type?: unknown; text?: unknown }[]).map((p) => (p.type === 'input_text' && typeof p.text === 'string' ? p.text : '')).join('')
  }
  return textOf(content)
}

/** The prompt (instructions + every input text) and the echoed answer (the last user input). */
export function planResponse(body: ResponsesBody): { prompt: string; text: string } {
  if (typeof body.input === 'string') return { prompt: [textOf(body.instructions), body.input].join('\n'), text: body.input }
  const items = Array.isArray(body.input) ? (body.input as InputItem[]) : []
  const texts = items.map((item) => inputText(item.content))
  const lastUser = [...items].reverse().find((item) => item.role === 'user')
  return { prompt: [textOf(body.instructions), ...texts].join('\n'), text: lastUser ? inputText(lastUser.content) : 'Hello!' }
}

function usage(prompt: string, text: string) {
  const input = fakeTokens(prompt)
  const output = fakeTokens(text)
  return { input_tokens: input, input_tokens_details: { cached_tokens: 0 }, output_tokens: output, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: input + output }
}

interface Ids {
  response: string
  message: string
  createdAt: number
}

function responseObject(model: string, ids: Ids, done: { prompt: string; text: string } | null) {
  const message = { type: 'message', id: ids.message, status: 'completed', role: 'assistant', content: [{ type: 'output_text', text: done?.text ?? '', annotations: [], logprobs: [] }] }
  return {
    id: ids.response,
    object: 'response',
    created_at: ids.createdAt,
    status: done ? 'completed' : 'in_progress',
    error: null,
    incomplete_details: null,
    instructions: null,
    max_output_tokens: null,
    model,
    output: done ? [message] : [],
    parallel_tool_calls: true,
    previous_response_id: null,
    reasoning: { effort: null, summary: null },
    store: true,
    temperature: 1,
    text: { format: { type: 'text' } },
    tool_choice: 'auto',
    tools: [],
    top_p: 1,
    truncation: 'disabled',
    usage: done ? usage(done.prompt, done.text) : null,
    user: null,
    metadata: {},
  }
}

function newIds(): Ids {
  return { response: `resp_${hex(16)}`, message: `msg_${hex(16)}`, createdAt: Math.floor(Date.now() / 1000) }
}

export function responseJson(model: string, plan: { prompt: string; text: string }): string {
  return JSON.stringify(responseObject(model, newIds(), plan))
}

/** The SSE frames of one streamed response, each `event: <type>\ndata: {…}\n\n`. */
export function responseEvents(model: string, plan: { prompt: string; text: string }): string[] {
  const ids = newIds()
  const item = { id: ids.message, type: 'message', status: 'in_progress', role: 'assistant', content: [] }
  const part = { type: 'output_text', text: '', annotations: [], logprobs: [] }
  const at = { item_id: ids.message, output_index: 0, content_index: 0 }
  const done = responseObject(model, ids, plan)
  const payloads: Record<string, unknown>[] = [
    { type: 'response.created', response: responseObject(model, ids, null) },
    { type: 'response.in_progress', response: responseObject(model, ids, null) },
    { type: 'response.output_item.added', output_index: 0, item },
    { type: 'response.content_part.added', ...at, part },
    ...plan.text.split(/(?<= )/).map((delta) => ({ type: 'response.output_text.delta', ...at, delta, logprobs: [] })),
    { type: 'response.output_text.done', ...at, text: plan.text, logprobs: [] },
    { type: 'response.content_part.done', ...at, part: { ...part, text: plan.text } },
    { type: 'response.output_item.done', output_index: 0, item: done.output[0] },
    { type: 'response.completed', response: done },
  ]
  return payloads.map((payload, sequence) => `event: ${String(payload.type)}\ndata: ${JSON.stringify({ ...payload, sequence_number: sequence })}\n\n`)
}

export function sendResponseStream(reply: FakeReply, headers: Record<string, string>, model: string, plan: { prompt: string; text: string }): void {
  reply.head(200, { ...headers, 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' })
  if (model === 'error-in-stream') {
    const error = { type: 'error', code: 'server_error', message: 'The server had an error while processing your request.', param: null, sequence_number: 0 }
    return reply.end(`event: error\ndata: ${JSON.stringify(error)}\n\n`)
  }
  const events = responseEvents(model, plan)
  for (const event of events) reply.write(event)
  reply.end()
}
