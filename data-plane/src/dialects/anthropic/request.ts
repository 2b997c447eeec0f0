import {
  type CanonicalChatRequest,
  type CanonicalEntry,
  type CanonicalPart,
  type CanonicalReasoning,
  type CanonicalSystemMessage,
  type CanonicalToolChoice,
  type Degraded,
  emptyRequest,
  type ImagePart,
  type ReasoningEffort,
  type TextPart,
} from '../canonical.ts'
import { parseWire, unknownFields, untranslatable } from '../wire-parse.ts'
import { contextManagementOf } from './context-management.ts'
import { type WireBlock, type WireImageBlock, WireMessagesRequest, type WireSystemMessage, type WireToolReferenceBlock, type WireToolResultPart } from './wire.ts'

// An Anthropic Messages body → CanonicalChatRequest. Refused (400): documents, search results,
// server tools and their blocks, Files API references, MCP servers, containers, context edits
// that would clear something (context-management.ts). A mid-conversation `role: "system"`
// message becomes a canonical system entry at its position. Prompt-cache breakpoints
// (`cache_control`) are noted so the provider side can name them when it drops them.

const HANDLED = new Set([...Object.keys(WireMessagesRequest.shape), 'context_management', 'safeguards'])
/**
 * `safeguards` asks Anthropic's API to vet the answer's tool calls (Claude Code's auto mode sends
 * the dangerous_tool_use check). No other provider runs it. Dropping it is named: Claude Code
 * notices the missing verdict and asks the user to approve each risky action instead.
 */
const SAFEGUARDS_DROPPED = 'safeguards (not run by this provider)'
const REFUSED_FIELDS: Record<string, string> = { mcp_servers: 'MCP servers', container: 'a code-execution container' }

interface ParseState {
  request: CanonicalChatRequest
  degraded: Degraded
}

function image(block: WireImageBlock, param: string): ImagePart {
  const { source } = block
  if (source.type === 'file') throw untranslatable(param, 'an image from the Files API (file_id)')
  const imageSource = source.type === 'url' ? { kind: 'url' as const, url: source.url } : { kind: 'base64' as const, mediaType: source.media_type, data: source.data }
  return { type: 'image', source: imageSource, detail: null }
}

/**
 * A tool-search result's tool_reference: deferred tools are sent up front to other providers
 * (toolsOf), so the reference only has to tell the model the tool is there.
 */
function toolReferenceText(block: WireToolReferenceBlock, state: ParseState): TextPart {
  state.degraded.push('tool_reference (sent as text: deferred tools are sent up front)')
  return { type: 'text', text: `Tool '${block.tool_name}' is loaded and can be called.` }
}

function resultPart(part: WireToolResultPart, param: string, state: ParseState): TextPart | ImagePart {
  if (part.type === 'text') return { type: 'text', text: part.text }
  return part.type === 'image' ? image(part, param) : toolReferenceText(part, state)
}

function blockToPart(block: WireBlock, param: string, state: ParseState): CanonicalPart {
  if ('cache_control' in block && block.cache_control) state.request.promptCaching = true
  switch (block.type) {
    case 'text':
      return { type: 'text', text: block.text }
    case 'image':
      return image(block, param)
    case 'tool_use':
      return { type: 'tool_call', id: block.id, name: block.name, arguments: JSON.stringify(block.input ?? {}) }
    case 'tool_result': {
      const content = typeof block.content === 'string' ? [{ type: 'text' as const, text: block.content }] : (block.content ?? [])
      const parts = content.map((part, i) => resultPart(part, `${param}.content.${i}`, state))
      return { type: 'tool_result', toolCallId: block.tool_use_id, content: parts, isError: block.is_error === true }
    }
    case 'thinking':
      return { type: 'thinking', text: block.thinking, signature: block.signature ?? null }
    case 'redacted_thinking':
      return { type: 'redacted_thinking', data: block.data }
    default:
      throw untranslatable(param, `a '${block.type}' content block`)
  }
}

/** Text, or text blocks; the other system blocks (mid-conversation tool changes) have no counterpart. */
function systemEntry(message: WireSystemMessage, param: string, state: ParseState): CanonicalSystemMessage {
  if (typeof message.content === 'string') return { role: 'system', content: [{ type: 'text', text: message.content }] }
  const content = message.content.map((block, b): TextPart => {
    if (block.type !== 'text' || typeof block.text !== 'string') throw untranslatable(`${param}.content.${b}`, `a '${block.type}' block in a system message`)
    if (block.cache_control) state.request.promptCaching = true
    return { type: 'text', text: block.text }
  })
  return { role: 'system', content }
}

function messagesOf(wire: WireMessagesRequest, state: ParseState): CanonicalEntry[] {
  return wire.messages.map((message, m): CanonicalEntry => {
    if (message.role === 'system') return systemEntry(message, `messages.${m}`, state)
    const content: CanonicalPart[] =
      typeof message.content === 'string'
        ? [{ type: 'text', text: message.content }]
        : message.content.map((block, b) => blockToPart(block, `messages.${m}.content.${b}`, state))
    return { role: message.role, content }
  })
}

function systemOf(wire: WireMessagesRequest, state: ParseState): string[] {
  if (wire.system === undefined || wire.system === null) return []
  if (typeof wire.system === 'string') return [wire.system]
  if (wire.system.some((block) => block.cache_control)) state.request.promptCaching = true
  return wire.system.map((block) => block.text)
}

function toolsOf(wire: WireMessagesRequest, state: ParseState): CanonicalChatRequest['tools'] {
  return (wire.tools ?? []).map((tool, i) => {
    if (tool.type && tool.type !== 'custom') throw untranslatable(`tools.${i}`, `the server tool '${tool.type}'`)
    if (tool.cache_control) state.request.promptCaching = true
    if (tool.defer_loading === true) state.degraded.push('tools.defer_loading (sent up front)')
    return { name: tool.name, description: tool.description ?? null, parameters: tool.input_schema ?? { type: 'object', properties: {} }, strict: tool.strict ?? null }
  })
}

const TOOL_CHOICES: Record<'auto' | 'any' | 'none', CanonicalToolChoice> = { auto: { type: 'auto' }, any: { type: 'required' }, none: { type: 'none' } }

function toolChoiceOf(wire: WireMessagesRequest, request: CanonicalChatRequest): void {
  const choice = wire.tool_choice
  if (!choice) return
  request.toolChoice = choice.type === 'tool' ? { type: 'tool', name: choice.name } : TOOL_CHOICES[choice.type]
  if (choice.type !== 'none' && choice.disable_parallel_tool_use === true) request.parallelToolCalls = false
}

const EFFORTS: Record<'low' | 'medium' | 'high' | 'xhigh' | 'max', ReasoningEffort> = { low: 'low', medium: 'medium', high: 'high', xhigh: 'high', max: 'high' }

function reasoningOf(wire: WireMessagesRequest, state: ParseState): CanonicalReasoning | null {
  const effortParam = wire.output_config?.effort
  if (effortParam === 'xhigh' || effortParam === 'max') state.degraded.push(`output_config.effort=${effortParam} (sent as high)`)
  const effort = effortParam ? EFFORTS[effortParam] : null
  const thinking = wire.thinking
  if (thinking?.type === 'enabled') return { effort, budgetTokens: thinking.budget_tokens }
  if (thinking?.type === 'adaptive' || thinking?.type === 'between_tools') return { effort: effort ?? 'medium', budgetTokens: null }
  return effort ? { effort, budgetTokens: null } : null
}

function refuseUntranslatable(body: Record<string, unknown>): void {
  for (const [field, what] of Object.entries(REFUSED_FIELDS)) {
    if (body[field] !== undefined && body[field] !== null) throw untranslatable(field, what)
  }
}

export function parseAnthropicRequest(body: Record<string, unknown>): { request: CanonicalChatRequest; degraded: Degraded } {
  refuseUntranslatable(body)
  const wire = parseWire(WireMessagesRequest, body)
  const state: ParseState = { request: emptyRequest(), degraded: [] }
  const { request } = state
  contextManagementOf(body.context_management, state.degraded)
  request.system = systemOf(wire, state)
  request.messages = messagesOf(wire, state)
  request.maxTokens = wire.max_tokens
  request.temperature = wire.temperature ?? null
  request.topP = wire.top_p ?? null
  request.topK = wire.top_k ?? null
  request.stop = wire.stop_sequences ?? []
  request.stream = wire.stream === true
  // Anthropic streams always carry usage (message_start + message_delta).
  request.streamUsage = true
  request.tools = toolsOf(wire, state)
  toolChoiceOf(wire, request)
  request.reasoning = reasoningOf(wire, state)
  const format = wire.output_config?.format
  if (format) request.responseFormat = { type: 'json_schema', name: 'response', description: null, schema: format.schema, strict: true }
  request.user = wire.metadata?.user_id ?? null
  if (wire.service_tier && wire.service_tier !== 'auto') state.degraded.push('service_tier')
  const safeguards = body.safeguards
  if (safeguards !== undefined && safeguards !== null && !(Array.isArray(safeguards) && safeguards.length === 0)) state.degraded.push(SAFEGUARDS_DROPPED)
  const degraded = [...new Set([...state.degraded, ...unknownFields(body, HANDLED)])]
  return { request, degraded }
}
