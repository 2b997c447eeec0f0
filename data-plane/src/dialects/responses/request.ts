import {
  type CanonicalChatRequest,
  type CanonicalMessage,
  type CanonicalPart,
  type CanonicalResponseFormat,
  type CanonicalToolChoice,
  type Degraded,
  emptyRequest,
  type ImagePart,
  type ReasoningEffort,
  type TextPart,
} from '../canonical.ts'
import { imageSource } from '../openai/request.ts'
import { unknownFields, untranslatable } from '../wire-parse.ts'
import { type ContentPart, FunctionCallItem, FunctionCallOutputItem, FunctionTool, MessageItem, parseAt, ReasoningItem, WireResponsesRequest } from './wire.ts'
import { REDACTED_PREFIX } from './response.ts'

// An OpenAI Responses API body → CanonicalChatRequest, for connections that speak another wire.
// `input` items become turns: message items (input_text / input_image / output_text), function
// calls (assistant tool calls), their outputs (tool results), reasoning items (thinking, the
// Anthropic signature carried in `encrypted_content`). Refused with a 400: what needs state
// OpenAI keeps server-side (previous_response_id, conversation, item_reference, prompt
// templates, background), built-in tools (web_search, file_search, computer_use, …), file and
// audio input, logprobs. Dropped and named (`x-switchyard-degraded`): store, metadata, …

const HANDLED = new Set(Object.keys(WireResponsesRequest.shape))
/** Unknown-to-us fields whose default value changes nothing; named only when set otherwise. */
const DEFAULTS: Record<string, unknown> = { truncation: 'disabled', include: [], service_tier: 'auto', stream_options: {} }
const STATEFUL = 'server-side conversation state (OpenAI stores responses; this gateway does not, for non-openai connections): send the whole conversation as `input`'

function refuseStateful(wire: WireResponsesRequest): void {
  if (wire.previous_response_id) throw untranslatable('previous_response_id', `previous_response_id needs ${STATEFUL}, so it`)
  if (wire.conversation !== undefined && wire.conversation !== null) throw untranslatable('conversation', `a conversation needs ${STATEFUL}, so it`)
  if (wire.background === true) throw untranslatable('background', 'background mode')
  if (wire.prompt !== undefined && wire.prompt !== null) throw untranslatable('prompt', 'a stored prompt template')
  if ((wire.top_logprobs ?? 0) > 0) throw untranslatable('top_logprobs', 'log probabilities')
}

function userPart(part: ContentPart, param: string): CanonicalPart {
  switch (part.type) {
    case 'input_text':
    case 'output_text':
      return { type: 'text', text: part.text }
    case 'refusal':
      return { type: 'text', text: part.refusal }
    case 'input_image':
      if (!part.image_url) throw untranslatable(param, 'an image given by file_id')
      return { type: 'image', source: imageSource(part.image_url, param), detail: part.detail ?? null }
    default:
      throw untranslatable(param, part.type === 'input_file' ? 'file input' : 'audio input')
  }
}

interface Turns {
  request: CanonicalChatRequest
  degraded: Degraded
  sawConversation: boolean
}

/** Appends parts to the conversation, joining consecutive items of the same role into one turn. */
function append(turns: Turns, role: CanonicalMessage['role'], parts: CanonicalPart[]): void {
  turns.sawConversation = true
  const last = turns.request.messages.at(-1)
  if (last?.role === role) last.content.push(...parts)
  else turns.request.messages.push({ role, content: parts })
}

function addMessage(message: MessageItem, param: string, turns: Turns): void {
  const parts = typeof message.content === 'string' ? [{ type: 'text' as const, text: message.content }] : message.content.map((p, i) => userPart(p, `${param}.content.${i}`))
  if (message.role === 'system' || message.role === 'developer') {
    if (turns.sawConversation) turns.degraded.push('system message position (moved before the conversation)')
    turns.request.system.push(parts.map((p) => (p.type === 'text' ? p.text : '')).join(''))
    return
  }
  if (message.role === 'assistant' && parts.some((p) => p.type === 'image')) throw untranslatable(`${param}.content`, 'an image in an assistant message')
  append(turns, message.role, parts)
}

function toolResult(item: FunctionCallOutputItem, param: string): CanonicalPart {
  const output = typeof item.output === 'string' ? [{ type: 'input_text' as const, text: item.output }] : item.output
  const content = output.map((p, i) => userPart(p, `${param}.output.${i}`)).filter((p): p is TextPart | ImagePart => p.type === 'text' || p.type === 'image')
  return { type: 'tool_result', toolCallId: item.call_id, content, isError: false }
}

function reasoningPart(item: ReasoningItem): CanonicalPart | null {
  const encrypted = item.encrypted_content ?? null
  if (encrypted?.startsWith(REDACTED_PREFIX)) return { type: 'redacted_thinking', data: encrypted.slice(REDACTED_PREFIX.length) }
  const text = [...(item.content ?? []), ...(item.summary ?? [])].map((t) => t.text).join('')
  if (text.length === 0 && encrypted === null) return null
  return { type: 'thinking', text, signature: encrypted }
}

const UNSUPPORTED_ITEMS: Record<string, string> = {
  item_reference: `an item_reference needs ${STATEFUL}, so it`,
}

function addItem(item: Record<string, unknown> & { type?: string | undefined }, param: string, turns: Turns): void {
  const type = item.type ?? 'message'
  if (type === 'message') return addMessage(parseAt(MessageItem, item, param), param, turns)
  if (type === 'function_call') {
    const call = parseAt(FunctionCallItem, item, param)
    return append(turns, 'assistant', [{ type: 'tool_call', id: call.call_id, name: call.name, arguments: call.arguments }])
  }
  if (type === 'function_call_output') return append(turns, 'user', [toolResult(parseAt(FunctionCallOutputItem, item, param), param)])
  if (type === 'reasoning') {
    const part = reasoningPart(parseAt(ReasoningItem, item, param))
    if (part) append(turns, 'assistant', [part])
    else turns.degraded.push('input[].reasoning (empty, without content or encrypted_content)')
    return
  }
  throw untranslatable(`${param}.type`, UNSUPPORTED_ITEMS[type] ?? `an input item of type '${type}' (a built-in tool's item)`)
}

function toolsOf(wire: WireResponsesRequest): CanonicalChatRequest['tools'] {
  return (wire.tools ?? []).map((tool, i) => {
    if (tool.type !== 'function') throw untranslatable(`tools.${i}`, `the built-in tool '${tool.type ?? 'unknown'}' (only function tools translate)`)
    const fn = parseAt(FunctionTool, tool, `tools.${i}`)
    return { name: fn.name, description: fn.description ?? null, parameters: fn.parameters ?? { type: 'object', properties: {} }, strict: fn.strict ?? null }
  })
}

function toolChoice(choice: WireResponsesRequest['tool_choice']): CanonicalToolChoice | null {
  if (choice === undefined || choice === null) return null
  if (typeof choice === 'string') return { type: choice }
  if (choice.type === 'function' && choice.name) return { type: 'tool', name: choice.name }
  throw untranslatable('tool_choice', `tool_choice of type '${choice.type}'`)
}

function responseFormat(wire: WireResponsesRequest): CanonicalResponseFormat | null {
  const format = wire.text?.format
  if (!format) return null
  if (format.type !== 'json_schema') return { type: format.type }
  return { type: 'json_schema', name: format.name, description: format.description ?? null, schema: format.schema, strict: format.strict ?? null }
}

function reasoningOf(wire: WireResponsesRequest, degraded: Degraded): CanonicalChatRequest['reasoning'] {
  const effort = wire.reasoning?.effort
  if (wire.reasoning?.summary) degraded.push('reasoning.summary')
  if (!effort || effort === 'none') return null
  if (effort === 'xhigh') degraded.push('reasoning.effort=xhigh (sent as high)')
  const mapped: ReasoningEffort = effort === 'xhigh' ? 'high' : effort
  return { effort: mapped, budgetTokens: null }
}

/** Dropped fields worth naming: set to something other than false, empty or their default. */
function droppedFields(body: Record<string, unknown>, wire: WireResponsesRequest): string[] {
  const isEmpty = (v: unknown) => typeof v === 'object' && v !== null && Object.keys(v).length === 0
  const unknown = unknownFields(body, HANDLED).filter((name) => body[name] !== false && !isEmpty(body[name]) && JSON.stringify(body[name]) !== JSON.stringify(DEFAULTS[name]))
  const named: string[] = []
  if (wire.store === true) named.push('store')
  if (wire.metadata && Object.keys(wire.metadata).length > 0) named.push('metadata')
  if (wire.text?.verbosity) named.push('text.verbosity')
  return [...named, ...unknown]
}

export function parseResponsesRequest(body: Record<string, unknown>): { request: CanonicalChatRequest; degraded: Degraded } {
  const wire = parseAt(WireResponsesRequest, body, '')
  refuseStateful(wire)
  const request = emptyRequest()
  const turns: Turns = { request, degraded: [], sawConversation: false }
  if (wire.instructions) request.system.push(wire.instructions)
  if (typeof wire.input === 'string') append(turns, 'user', [{ type: 'text', text: wire.input }])
  else wire.input.forEach((item, i) => addItem(item, `input.${i}`, turns))
  request.tools = toolsOf(wire)
  request.toolChoice = toolChoice(wire.tool_choice)
  request.parallelToolCalls = wire.parallel_tool_calls ?? null
  request.responseFormat = responseFormat(wire)
  request.maxTokens = wire.max_output_tokens ?? null
  request.temperature = wire.temperature ?? null
  request.topP = wire.top_p ?? null
  request.reasoning = reasoningOf(wire, turns.degraded)
  request.stream = wire.stream === true
  request.streamUsage = true
  request.user = wire.user ?? wire.safety_identifier ?? null
  const degraded = [...new Set([...turns.degraded, ...droppedFields(body, wire)])]
  return { request, degraded }
}
