import { randomBytes } from 'node:crypto'
import type { CanonicalChatRequest, CanonicalChatResponse, CanonicalStopReason, CanonicalUsage, ThinkingPart, ToolCallPart } from '../canonical.ts'

// CanonicalChatResponse → an OpenAI Responses API `response` object, as OpenAI shapes it:
// `output` items in order (reasoning, message with one `output_text` part, function_call with
// call_id + JSON arguments), status `completed`, or `incomplete` with incomplete_details when
// the output was cut (max tokens, refusal), usage in input/output tokens with their details.
// The request's settings are echoed (instructions, tools, sampling) as OpenAI does. Thinking
// becomes a reasoning item whose `encrypted_content` carries the provider's signature (or a
// redacted block's data), so a client that sends the item back round-trips it.

/** Marks `encrypted_content` that carries a redacted thinking block's data (not a signature). */
export const REDACTED_PREFIX = 'sy-redacted:'

export interface ResponsesUsage {
  input_tokens: number
  input_tokens_details: { cached_tokens: number }
  output_tokens: number
  output_tokens_details: { reasoning_tokens: number }
  total_tokens: number
}

export function renderResponsesUsage(usage: CanonicalUsage | null): ResponsesUsage {
  const input = usage?.promptTokens ?? 0
  const output = usage?.completionTokens ?? 0
  return {
    input_tokens: input,
    input_tokens_details: { cached_tokens: usage?.cachedPromptTokens ?? 0 },
    output_tokens: output,
    output_tokens_details: { reasoning_tokens: usage?.reasoningTokens ?? 0 },
    total_tokens: usage?.totalTokens ?? input + output,
  }
}

/** The ids of one response and its items: derived from the provider's id (random when it gave none). */
export function responseIds(upstreamId: string): { response: string; item: (prefix: string, index: number) => string } {
  const base = upstreamId.replace(/[^A-Za-z0-9]/g, '') || randomBytes(12).toString('hex')
  return { response: `resp_${base}`, item: (prefix, index) => `${prefix}_${base}${index}` }
}

const INCOMPLETE: Partial<Record<CanonicalStopReason, string>> = { max_tokens: 'max_output_tokens', refusal: 'content_filter' }

export function statusOf(stopReason: CanonicalStopReason | null): { status: 'completed' | 'incomplete'; incomplete_details: { reason: string } | null } {
  const reason = stopReason ? INCOMPLETE[stopReason] : undefined
  return reason ? { status: 'incomplete', incomplete_details: { reason } } : { status: 'completed', incomplete_details: null }
}

export function textFormatOf(request: CanonicalChatRequest | undefined): unknown {
  const format = request?.responseFormat
  if (!format || format.type !== 'json_schema') return { type: format?.type ?? 'text' }
  return { type: 'json_schema', name: format.name, description: format.description, schema: format.schema, strict: format.strict }
}

function toolChoiceOf(request: CanonicalChatRequest | undefined): unknown {
  const choice = request?.toolChoice
  if (!choice) return 'auto'
  return choice.type === 'tool' ? { type: 'function', name: choice.name } : choice.type
}

/** The response object's fields that echo the request, and the fixed ones (no server-side state). */
export function responseShell(request: CanonicalChatRequest | undefined): Record<string, unknown> {
  return {
    error: null,
    instructions: request && request.system.length > 0 ? request.system.join('\n\n') : null,
    max_output_tokens: request?.maxTokens ?? null,
    parallel_tool_calls: request?.parallelToolCalls ?? true,
    previous_response_id: null,
    reasoning: { effort: request?.reasoning?.effort ?? null, summary: null },
    store: false,
    temperature: request?.temperature ?? null,
    text: { format: textFormatOf(request) },
    tool_choice: toolChoiceOf(request),
    tools: (request?.tools ?? []).map((t) => ({ type: 'function', name: t.name, description: t.description, parameters: t.parameters, strict: t.strict })),
    top_p: request?.topP ?? null,
    truncation: 'disabled',
    user: request?.user ?? null,
    metadata: {},
  }
}

export const outputText = (text: string) => ({ type: 'output_text', text, annotations: [], logprobs: [] })

export function messageItem(id: string, text: string, status: string) {
  return { id, type: 'message', status, role: 'assistant', content: [outputText(text)] }
}

export function functionCallItem(id: string, call: Omit<ToolCallPart, 'type'>, status: string) {
  return { id, type: 'function_call', status, call_id: call.id, name: call.name, arguments: call.arguments }
}

export function reasoningItem(id: string, thinking: Omit<ThinkingPart, 'type'> | { data: string }, status: string) {
  if ('data' in thinking) return { id, type: 'reasoning', status, summary: [], encrypted_content: `${REDACTED_PREFIX}${thinking.data}` }
  return { id, type: 'reasoning', status, summary: [], content: [{ type: 'reasoning_text', text: thinking.text }], encrypted_content: thinking.signature }
}

export function renderResponsesResponse(response: CanonicalChatResponse, request?: CanonicalChatRequest): unknown {
  const ids = responseIds(response.id)
  const { status, incomplete_details } = statusOf(response.stopReason)
  const itemStatus = status === 'completed' ? 'completed' : 'incomplete'
  const output = response.content.map((part, i) => {
    if (part.type === 'text') return messageItem(ids.item('msg', i), part.text, itemStatus)
    if (part.type === 'tool_call') return functionCallItem(ids.item('fc', i), part, 'completed')
    return reasoningItem(ids.item('rs', i), part, 'completed')
  })
  return {
    id: ids.response,
    object: 'response',
    created_at: Math.floor(Date.now() / 1000),
    status,
    incomplete_details,
    model: response.model,
    output,
    usage: renderResponsesUsage(response.usage),
    ...responseShell(request),
  }
}
