import { type CanonicalChatRequest, type CanonicalMessage, type CanonicalPart, type Degraded, type ImagePart, type ReasoningEffort, splitSystemEntries } from '../../dialects/canonical.ts'
import { parseArguments } from '../../dialects/anthropic/response.ts'
import { alternatingTurns, type Turn } from '../turns.ts'

// CanonicalChatRequest → an Anthropic Messages body. Anthropic requires `max_tokens`: when the
// client named none, DEFAULT_MAX_TOKENS is sent (plus the thinking budget when thinking is on).
// Consecutive messages of one role are merged (Anthropic requires alternation), tool results
// lead their user message, empty text is left out (Anthropic refuses empty text blocks).
// Dropped and named: seed, presence/frequency penalties, image detail, temperature above 1
// (clamped), sampling settings thinking does not allow, reasoning without a signature.

export const DEFAULT_MAX_TOKENS = 4096
/** A reasoning effort as an extended-thinking budget (Anthropic's minimum budget is 1024). */
export const THINKING_BUDGETS: Record<Exclude<ReasoningEffort, 'minimal'>, number> = { low: 1024, medium: 4096, high: 16384 }
const MIN_THINKING_BUDGET = 1024
export const JSON_OBJECT_INSTRUCTION = 'Respond with a single valid JSON object and nothing else.'

type Block = Record<string, unknown>

function imageBlock(part: ImagePart, degraded: Degraded): Block {
  if (part.detail && part.detail !== 'auto') degraded.push('image_url.detail')
  const source = part.source.kind === 'url' ? { type: 'url', url: part.source.url } : { type: 'base64', media_type: part.source.mediaType, data: part.source.data }
  return { type: 'image', source }
}

function block(part: CanonicalPart, degraded: Degraded): Block | null {
  switch (part.type) {
    case 'text':
      return part.text.length > 0 ? { type: 'text', text: part.text } : null
    case 'image':
      return imageBlock(part, degraded)
    case 'tool_call':
      return { type: 'tool_use', id: part.id, name: part.name, input: parseArguments(part.arguments) }
    case 'tool_result': {
      const content = part.content.flatMap((p) => (p.type === 'text' ? (p.text ? [{ type: 'text', text: p.text }] : []) : [imageBlock(p, degraded)]))
      return { type: 'tool_result', tool_use_id: part.toolCallId, content, ...(part.isError ? { is_error: true } : {}) }
    }
    case 'thinking':
      if (part.signature === null) {
        degraded.push('reasoning_content (no signature to send back)')
        return null
      }
      return { type: 'thinking', thinking: part.text, signature: part.signature }
    case 'redacted_thinking':
      return { type: 'redacted_thinking', data: part.data }
  }
}

function messagesOf(messages: CanonicalMessage[], degraded: Degraded): Turn<Block>[] {
  return alternatingTurns<Block>(messages, (part) => block(part, degraded), (b) => b.type === 'tool_result')
}

function toolsOf(request: CanonicalChatRequest, body: Record<string, unknown>): void {
  if (request.tools.length === 0) return
  body.tools = request.tools.map((tool) => ({
    name: tool.name,
    ...(tool.description !== null ? { description: tool.description } : {}),
    input_schema: tool.parameters,
    ...(tool.strict === true ? { strict: true } : {}),
  }))
  const choice = request.toolChoice
  const type = choice === null ? 'auto' : choice.type === 'required' ? 'any' : choice.type
  const wire: Record<string, unknown> = choice?.type === 'tool' ? { type, name: choice.name } : { type }
  if (request.parallelToolCalls === false && type !== 'none') wire.disable_parallel_tool_use = true
  if (choice !== null || request.parallelToolCalls === false) body.tool_choice = wire
}

/** Thinking budget and max_tokens together: max_tokens must exceed the budget. */
function budgetOf(request: CanonicalChatRequest, degraded: Degraded): number | null {
  const reasoning = request.reasoning
  if (!reasoning) return null
  if (reasoning.effort === 'minimal' && reasoning.budgetTokens === null) {
    degraded.push('reasoning_effort=minimal (sent without thinking)')
    return null
  }
  const wanted = reasoning.budgetTokens ?? THINKING_BUDGETS[reasoning.effort === 'minimal' || reasoning.effort === null ? 'medium' : reasoning.effort]
  if (request.maxTokens === null || request.maxTokens > wanted) return wanted
  if (request.maxTokens - 1 >= MIN_THINKING_BUDGET) return request.maxTokens - 1
  degraded.push('reasoning_effort (max_tokens too small for thinking)')
  return null
}

function samplingOf(request: CanonicalChatRequest, body: Record<string, unknown>, degraded: Degraded): void {
  const budget = budgetOf(request, degraded)
  body.max_tokens = request.maxTokens ?? DEFAULT_MAX_TOKENS + (budget ?? 0)
  if (budget !== null) body.thinking = { type: 'enabled', budget_tokens: budget }
  const sampling: [string, string, number | null][] = [
    ['temperature', 'temperature', request.temperature],
    ['top_p', 'top_p', request.topP],
    ['top_k', 'top_k', request.topK],
  ]
  for (const [field, name, value] of sampling) {
    if (value === null) continue
    if (budget !== null && field !== 'top_p') degraded.push(`${name} (not allowed with thinking)`)
    else if (field === 'temperature' && value > 1) {
      degraded.push('temperature (clamped to 1)')
      body.temperature = 1
    } else body[field] = value
  }
  if (request.stop.length > 0) body.stop_sequences = request.stop
  if (request.seed !== null) degraded.push('seed')
  if (request.presencePenalty !== null) degraded.push('presence_penalty')
  if (request.frequencyPenalty !== null) degraded.push('frequency_penalty')
}

function systemOf(request: CanonicalChatRequest, moved: string[], degraded: Degraded): string | null {
  const system = [...request.system, ...moved]
  if (request.responseFormat?.type === 'json_object') {
    system.push(JSON_OBJECT_INSTRUCTION)
    degraded.push('response_format=json_object (sent as an instruction)')
  }
  return system.length > 0 ? system.join('\n\n') : null
}

export function toAnthropicBody(request: CanonicalChatRequest, upstreamModel: string): { body: Record<string, unknown>; degraded: Degraded } {
  const degraded: Degraded = []
  const body: Record<string, unknown> = { model: upstreamModel }
  // Translated requests come from OpenAI-family clients, whose system messages are already
  // leading; any mid-conversation one joins the top-level system (no beta is assumed upstream).
  const conversation = splitSystemEntries(request.messages)
  if (conversation.system.length > 0) degraded.push('system message position (moved to the system prompt)')
  const system = systemOf(request, conversation.system, degraded)
  if (system !== null) body.system = system
  body.messages = messagesOf(conversation.messages, degraded)
  samplingOf(request, body, degraded)
  toolsOf(request, body)
  const format = request.responseFormat
  if (format?.type === 'json_schema') body.output_config = { format: { type: 'json_schema', schema: format.schema } }
  if (request.user !== null) body.metadata = { user_id: request.user }
  if (request.stream) body.stream = true
  return { body, degraded: [...new Set(degraded)] }
}
