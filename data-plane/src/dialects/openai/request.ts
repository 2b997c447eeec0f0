import {
  type CanonicalChatRequest,
  type CanonicalMessage,
  type CanonicalPart,
  type CanonicalResponseFormat,
  type CanonicalToolChoice,
  type Degraded,
  emptyRequest,
  type ImagePart,
  type ImageSource,
} from '../canonical.ts'
import { parseWire, unknownFields, untranslatable } from '../wire-parse.ts'
import { type UserPart, WireChatRequest, type WireMessage, WireTool } from './wire.ts'

// An OpenAI Chat Completions body → CanonicalChatRequest. What the other family cannot express
// is refused (400: n > 1, logprobs, audio, files, legacy functions, custom tools); what it can
// only drop is named (`x-switchyard-degraded`): logit_bias, store, metadata, service_tier, …

/** Handled below, or harmless to leave out (`stream_options` beyond include_usage). */
const HANDLED = new Set(Object.keys(WireChatRequest.shape))

const DATA_URL = /^data:([^;,]+);base64,(.*)$/s

export function imageSource(url: string, param: string): ImageSource {
  if (!url.startsWith('data:')) return { kind: 'url', url }
  const match = DATA_URL.exec(url)
  if (!match?.[1] || match[2] === undefined) throw untranslatable(param, 'an image data URL that is not base64')
  return { kind: 'base64', mediaType: match[1], data: match[2] }
}

function textOf(content: string | { text: string }[]): string {
  return typeof content === 'string' ? content : content.map((p) => p.text).join('')
}

function userPart(part: UserPart, param: string): CanonicalPart {
  if (part.type === 'text') return { type: 'text', text: part.text }
  if (part.type === 'image_url') {
    const image: ImagePart = { type: 'image', source: imageSource(part.image_url.url, param), detail: part.image_url.detail ?? null }
    return image
  }
  throw untranslatable(param, part.type === 'input_audio' ? 'audio input' : 'file input')
}

function assistantContent(message: Extract<WireMessage, { role: 'assistant' }>, param: string): CanonicalPart[] {
  if (message.function_call !== undefined && message.function_call !== null) throw untranslatable(`${param}.function_call`, 'a legacy function_call')
  if (message.audio !== undefined && message.audio !== null) throw untranslatable(`${param}.audio`, 'an audio reference')
  const parts: CanonicalPart[] = []
  if (message.reasoning_content) parts.push({ type: 'thinking', text: message.reasoning_content, signature: null })
  const content = message.content
  if (typeof content === 'string' && content.length > 0) parts.push({ type: 'text', text: content })
  if (Array.isArray(content)) {
    for (const part of content) parts.push({ type: 'text', text: part.type === 'text' ? part.text : part.refusal })
  }
  for (const call of message.tool_calls ?? []) {
    parts.push({ type: 'tool_call', id: call.id, name: call.function.name, arguments: call.function.arguments })
  }
  return parts
}

interface MessageState {
  request: CanonicalChatRequest
  degraded: Degraded
  sawConversation: boolean
}

function addMessage(message: WireMessage, param: string, state: MessageState): void {
  const { request } = state
  if ('name' in message && message.name !== undefined) state.degraded.push('messages[].name')
  if (message.role === 'system' || message.role === 'developer') {
    if (state.sawConversation) state.degraded.push('system message position (moved before the conversation)')
    request.system.push(textOf(message.content))
    return
  }
  state.sawConversation = true
  let converted: CanonicalMessage
  if (message.role === 'user') {
    const content = typeof message.content === 'string' ? [{ type: 'text' as const, text: message.content }] : message.content.map((p, i) => userPart(p, `${param}.content.${i}`))
    converted = { role: 'user', content }
  } else if (message.role === 'assistant') {
    converted = { role: 'assistant', content: assistantContent(message, param) }
  } else if (message.role === 'tool') {
    const result: CanonicalPart = { type: 'tool_result', toolCallId: message.tool_call_id, content: [{ type: 'text', text: textOf(message.content) }], isError: false }
    converted = { role: 'user', content: [result] }
  } else {
    throw untranslatable(`${param}.role`, "the legacy 'function' role")
  }
  request.messages.push(converted)
}

function toolChoice(choice: WireChatRequest['tool_choice']): CanonicalToolChoice | null {
  if (choice === undefined || choice === null) return null
  if (typeof choice === 'string') return { type: choice }
  if (choice.type === 'function' && 'function' in choice) return { type: 'tool', name: choice.function.name }
  throw untranslatable('tool_choice', `tool_choice of type '${choice.type}'`)
}

function responseFormat(format: WireChatRequest['response_format']): CanonicalResponseFormat | null {
  if (!format) return null
  if (format.type !== 'json_schema') return { type: format.type }
  const spec = format.json_schema
  return { type: 'json_schema', name: spec.name, description: spec.description ?? null, schema: spec.schema ?? {}, strict: spec.strict ?? null }
}

function refuseUntranslatable(wire: WireChatRequest): void {
  if ((wire.n ?? 1) > 1) throw untranslatable('n', 'more than one choice (n > 1)')
  if (wire.logprobs === true || (wire.top_logprobs ?? 0) > 0) throw untranslatable('logprobs', 'log probabilities')
  if (wire.modalities?.includes('audio') || (wire.audio !== undefined && wire.audio !== null)) throw untranslatable('modalities', 'audio output')
  if (wire.functions !== undefined || wire.function_call !== undefined) throw untranslatable('functions', 'legacy functions (use tools)')
  if (wire.web_search_options !== undefined && wire.web_search_options !== null) throw untranslatable('web_search_options', 'web search')
}

function toolsOf(wire: WireChatRequest): CanonicalChatRequest['tools'] {
  return (wire.tools ?? []).map((tool, i) => {
    const parsed = WireTool.parse(tool)
    if (parsed.type !== 'function') throw untranslatable(`tools.${i}`, 'a custom (non-function) tool')
    const fn = parsed.function
    return { name: fn.name, description: fn.description ?? null, parameters: fn.parameters ?? { type: 'object', properties: {} }, strict: fn.strict ?? null }
  })
}

function samplingOf(wire: WireChatRequest, request: CanonicalChatRequest): void {
  request.maxTokens = wire.max_completion_tokens ?? wire.max_tokens ?? null
  request.temperature = wire.temperature ?? null
  request.topP = wire.top_p ?? null
  request.stop = typeof wire.stop === 'string' ? [wire.stop] : (wire.stop ?? [])
  request.seed = wire.seed ?? null
  request.presencePenalty = wire.presence_penalty || null
  request.frequencyPenalty = wire.frequency_penalty || null
  const effort = wire.reasoning_effort
  request.reasoning = effort && effort !== 'none' ? { effort, budgetTokens: null } : null
}

/** Dropped fields worth naming; `false`/empty/default values change nothing and are not named. */
function droppedFields(body: Record<string, unknown>): string[] {
  const dropped = unknownFields(body, HANDLED).filter((name) => body[name] !== false)
  const empty = (value: unknown) => typeof value === 'object' && value !== null && Object.keys(value).length === 0
  return dropped.filter((name) => !empty(body[name]))
}

export function parseOpenAIRequest(body: Record<string, unknown>): { request: CanonicalChatRequest; degraded: Degraded } {
  const wire = parseWire(WireChatRequest, body)
  refuseUntranslatable(wire)
  const request = emptyRequest()
  const state: MessageState = { request, degraded: [], sawConversation: false }
  wire.messages.forEach((message, i) => addMessage(message, `messages.${i}`, state))
  samplingOf(wire, request)
  request.stream = wire.stream === true
  request.streamUsage = wire.stream_options?.include_usage === true
  request.tools = toolsOf(wire)
  request.toolChoice = toolChoice(wire.tool_choice)
  request.parallelToolCalls = wire.parallel_tool_calls ?? null
  request.responseFormat = responseFormat(wire.response_format)
  request.user = wire.user ?? wire.safety_identifier ?? null
  const degraded = [...new Set([...state.degraded, ...droppedFields(body)])]
  return { request, degraded }
}
