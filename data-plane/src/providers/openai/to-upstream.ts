import { createHash } from 'node:crypto'
import type { ProviderType } from '@switchyard/shared/snapshot'
import { takesReasoningEffort } from './reasoning-models.ts'
import type { CanonicalChatRequest, CanonicalEntry, CanonicalMessage, CanonicalPart, Degraded, ImagePart, ReasoningEffort } from '../../dialects/canonical.ts'

// CanonicalChatRequest → an OpenAI Chat Completions body. System instructions are `system`
// messages, mid-conversation ones at their position. Tool results become `tool` messages
// (images in them follow as a user message); Anthropic thinking has no input form here and is
// dropped (named); a thinking budget becomes the nearest `reasoning_effort`. Streams always ask
// for usage (`stream_options.include_usage`), so metering never estimates.

/** OpenAI deprecated `max_tokens` for `max_completion_tokens`; OpenAI-compatible servers know the former. */
const MAX_TOKENS_FIELD: Partial<Record<ProviderType, string>> = { openai: 'max_completion_tokens' }

type WirePart = { type: 'text'; text: string } | { type: 'image_url'; image_url: { url: string; detail?: string } }
type WireMessage = Record<string, unknown>

function imagePart(part: ImagePart): WirePart {
  const url = part.source.kind === 'url' ? part.source.url : `data:${part.source.mediaType};base64,${part.source.data}`
  return { type: 'image_url', image_url: part.detail ? { url, detail: part.detail } : { url } }
}

function userContent(parts: WirePart[]): string | WirePart[] {
  return parts.every((p) => p.type === 'text') ? parts.map((p) => (p.type === 'text' ? p.text : '')).join('') : parts
}

function toolMessages(part: Extract<CanonicalPart, { type: 'tool_result' }>, degraded: Degraded): WireMessage[] {
  const text = part.content.flatMap((p) => (p.type === 'text' ? [p.text] : [])).join('')
  const images = part.content.flatMap((p) => (p.type === 'image' ? [imagePart(p)] : []))
  if (part.isError) degraded.push('tool_result.is_error')
  const messages: WireMessage[] = [{ role: 'tool', tool_call_id: part.toolCallId, content: text }]
  if (images.length > 0) {
    degraded.push('tool_result images (sent in a user message)')
    messages.push({ role: 'user', content: images })
  }
  return messages
}

function userMessages(message: CanonicalMessage, degraded: Degraded): WireMessage[] {
  const out: WireMessage[] = []
  const parts: WirePart[] = []
  for (const part of message.content) {
    if (part.type === 'tool_result') out.push(...toolMessages(part, degraded))
    else if (part.type === 'text') parts.push({ type: 'text', text: part.text })
    else if (part.type === 'image') parts.push(imagePart(part))
  }
  if (parts.length > 0) out.push({ role: 'user', content: userContent(parts) })
  return out
}

function assistantMessage(message: CanonicalMessage, degraded: Degraded): WireMessage {
  const text = message.content.flatMap((p) => (p.type === 'text' ? [p.text] : [])).join('')
  const toolCalls = message.content.flatMap((p) =>
    p.type === 'tool_call' ? [{ id: p.id, type: 'function', function: { name: p.name, arguments: p.arguments } }] : [],
  )
  if (message.content.some((p) => p.type === 'thinking' || p.type === 'redacted_thinking')) degraded.push('thinking blocks')
  const wire: WireMessage = { role: 'assistant', content: text.length > 0 ? text : null }
  if (toolCalls.length > 0) wire.tool_calls = toolCalls
  return wire
}

/** A system message at its position (Chat Completions takes them anywhere), the leading prompt first. */
function entryMessages(entry: CanonicalEntry, degraded: Degraded): WireMessage[] {
  if (entry.role === 'system') return [{ role: 'system', content: entry.content.map((part) => part.text).join('') }]
  return entry.role === 'user' ? userMessages(entry, degraded) : [assistantMessage(entry, degraded)]
}

function messagesOf(request: CanonicalChatRequest, degraded: Degraded): WireMessage[] {
  const system = request.system.map((text) => ({ role: 'system', content: text }))
  return [...system, ...request.messages.flatMap((entry) => entryMessages(entry, degraded))]
}

function effortOfBudget(budget: number): ReasoningEffort {
  if (budget <= 2048) return 'low'
  return budget <= 8192 ? 'medium' : 'high'
}

function toolsOf(request: CanonicalChatRequest, body: Record<string, unknown>): void {
  if (request.tools.length === 0) return
  body.tools = request.tools.map((tool) => ({
    type: 'function',
    function: {
      name: tool.name,
      ...(tool.description !== null ? { description: tool.description } : {}),
      parameters: tool.parameters,
      ...(tool.strict !== null ? { strict: tool.strict } : {}),
    },
  }))
  const choice = request.toolChoice
  if (choice) body.tool_choice = choice.type === 'tool' ? { type: 'function', function: { name: choice.name } } : choice.type
  if (request.parallelToolCalls !== null) body.parallel_tool_calls = request.parallelToolCalls
}

function optionsOf(request: CanonicalChatRequest, body: Record<string, unknown>, degraded: Degraded): void {
  const format = request.responseFormat
  if (format?.type === 'json_schema') {
    const spec = { name: format.name, schema: format.schema, ...(format.strict !== null ? { strict: format.strict } : {}) }
    body.response_format = { type: 'json_schema', json_schema: format.description ? { ...spec, description: format.description } : spec }
  } else if (format) {
    body.response_format = { type: format.type }
  }
  const reasoning = request.reasoning
  if (reasoning && !takesReasoningEffort(String(body.model))) degraded.push('reasoning (the model takes no reasoning_effort)')
  else if (reasoning?.effort) body.reasoning_effort = reasoning.effort
  else if (reasoning?.budgetTokens) {
    body.reasoning_effort = effortOfBudget(reasoning.budgetTokens)
    degraded.push(`thinking.budget_tokens (sent as reasoning_effort=${String(body.reasoning_effort)})`)
  }
  if (request.topK !== null) degraded.push('top_k')
  if (request.promptCaching) degraded.push('cache_control')
}

/** OpenAI refuses a `user` over 64 characters (OpenRouter over 128); Claude Code's metadata.user_id is a ~150-character JSON string. */
const MAX_USER_LENGTH = 64

/** A longer end-user id goes as its SHA-256 (hex, 64 characters): still one stable opaque id per value. */
function userOf(user: string | null, degraded: Degraded): string | null {
  if (user === null || user.length <= MAX_USER_LENGTH) return user
  degraded.push(`metadata.user_id (over ${MAX_USER_LENGTH} characters: sent as its SHA-256)`)
  return createHash('sha256').update(user).digest('hex')
}

export interface ToOpenAIOptions {
  upstreamModel: string
  providerType: ProviderType
  /** The server's own choice (quirks.ts); else by provider type. */
  maxTokensField?: string
}

export function toOpenAIBody(request: CanonicalChatRequest, options: ToOpenAIOptions): { body: Record<string, unknown>; degraded: Degraded } {
  const degraded: Degraded = []
  const body: Record<string, unknown> = { model: options.upstreamModel, messages: messagesOf(request, degraded) }
  if (request.maxTokens !== null) body[options.maxTokensField ?? MAX_TOKENS_FIELD[options.providerType] ?? 'max_tokens'] = request.maxTokens
  const scalars: [string, unknown][] = [
    ['temperature', request.temperature],
    ['top_p', request.topP],
    ['seed', request.seed],
    ['presence_penalty', request.presencePenalty],
    ['frequency_penalty', request.frequencyPenalty],
    ['user', userOf(request.user, degraded)],
  ]
  for (const [name, value] of scalars) if (value !== null) body[name] = value
  if (request.stop.length > 0) body.stop = request.stop
  toolsOf(request, body)
  optionsOf(request, body, degraded)
  if (request.stream) {
    body.stream = true
    body.stream_options = { include_usage: true }
  }
  return { body, degraded: [...new Set(degraded)] }
}
