import { type CanonicalChatRequest, type CanonicalMessage, type CanonicalPart, type Degraded, type ImagePart, splitSystemEntries } from '../../dialects/canonical.ts'
import { parseArguments } from '../../dialects/anthropic/response.ts'
import { alternatingTurns, type Turn } from '../turns.ts'
import { GatewayError } from '../../errors.ts'
import { STRUCTURED_OUTPUT_TOOL } from './from-upstream.ts'

// CanonicalChatRequest → a Converse body. Content blocks text / image{format, source.bytes} /
// toolUse / toolResult / reasoningContent; consecutive turns of one role are merged (Converse
// requires alternation). Images must be inline (base64 or a `data:` URL; an http(s) URL is a
// 400: the gateway does not fetch). A JSON-schema response format becomes a forced tool whose
// input is the answer (read back as text, from-upstream.ts); json_object an instruction.
// Dropped and named: seed, penalties, top_k, image detail, tool_choice none, user, caching,
// thinking without a signature. Thinking is asked for through additionalModelRequestFields
// (Anthropic models on Bedrock only).

type Block = Record<string, unknown>

export const JSON_OBJECT_INSTRUCTION = 'Respond with a single valid JSON object and nothing else.'
const FORMATS: Record<string, string> = { 'image/png': 'png', 'image/jpeg': 'jpeg', 'image/jpg': 'jpeg', 'image/gif': 'gif', 'image/webp': 'webp' }
const THINKING_BUDGETS = { minimal: 1024, low: 1024, medium: 4096, high: 16384 } as const

function untranslatable(message: string, param: string): GatewayError {
  return new GatewayError('SY_ERR_REQUEST_UNTRANSLATABLE', message, { param })
}

function imageBlock(part: ImagePart, degraded: Degraded): Block {
  if (part.source.kind === 'url') {
    throw untranslatable('Bedrock connections take images inline only (base64, or a data: URL); the gateway does not fetch image URLs. Send the image as base64.', 'image_url')
  }
  const format = FORMATS[part.source.mediaType.toLowerCase()]
  if (!format) throw untranslatable(`Bedrock takes png, jpeg, gif and webp images, not ${part.source.mediaType}.`, 'image_url')
  if (part.detail && part.detail !== 'auto') degraded.push('image_url.detail')
  return { image: { format, source: { bytes: part.source.data } } }
}

function block(part: CanonicalPart, degraded: Degraded): Block | null {
  switch (part.type) {
    case 'text':
      return part.text.length > 0 ? { text: part.text } : null
    case 'image':
      return imageBlock(part, degraded)
    case 'tool_call':
      return { toolUse: { toolUseId: part.id, name: part.name, input: parseArguments(part.arguments) } }
    case 'tool_result': {
      const content = part.content.flatMap((p) => (p.type === 'text' ? (p.text ? [{ text: p.text }] : []) : [imageBlock(p, degraded)]))
      return { toolResult: { toolUseId: part.toolCallId, content: content.length > 0 ? content : [{ text: '' }], status: part.isError ? 'error' : 'success' } }
    }
    case 'thinking':
      if (part.signature === null) {
        degraded.push('reasoning_content (no signature to send back)')
        return null
      }
      return { reasoningContent: { reasoningText: { text: part.text, signature: part.signature } } }
    case 'redacted_thinking':
      return { reasoningContent: { redactedContent: part.data } }
  }
}

function messagesOf(messages: CanonicalMessage[], degraded: Degraded): Turn<Block>[] {
  return alternatingTurns<Block>(messages, (part) => block(part, degraded), (b) => 'toolResult' in b)
}

function toolConfigOf(request: CanonicalChatRequest, degraded: Degraded): Record<string, unknown> | null {
  const tools = request.tools.map((tool) => ({
    toolSpec: { name: tool.name, ...(tool.description !== null ? { description: tool.description } : {}), inputSchema: { json: tool.parameters } },
  }))
  const format = request.responseFormat
  if (format?.type === 'json_schema') {
    const description = format.description ?? `Answer with the ${format.name} JSON object.`
    tools.push({ toolSpec: { name: STRUCTURED_OUTPUT_TOOL, description, inputSchema: { json: format.schema } } })
    return { tools, toolChoice: request.tools.length > 0 ? { any: {} } : { tool: { name: STRUCTURED_OUTPUT_TOOL } } }
  }
  if (tools.length === 0) return null
  const choice = request.toolChoice
  if (choice?.type === 'none') degraded.push('tool_choice=none (sent as auto)')
  if (request.parallelToolCalls === false) degraded.push('parallel_tool_calls')
  const toolChoice = choice?.type === 'required' ? { any: {} } : choice?.type === 'tool' ? { tool: { name: choice.name } } : { auto: {} }
  return { tools, toolChoice }
}

function inferenceConfigOf(request: CanonicalChatRequest, degraded: Degraded): Record<string, unknown> {
  const config: Record<string, unknown> = {}
  if (request.maxTokens !== null) config.maxTokens = request.maxTokens
  if (request.temperature !== null) config.temperature = request.temperature
  if (request.topP !== null) config.topP = request.topP
  if (request.stop.length > 0) config.stopSequences = request.stop
  const dropped: [string, unknown][] = [
    ['seed', request.seed],
    ['presence_penalty', request.presencePenalty],
    ['frequency_penalty', request.frequencyPenalty],
    ['top_k', request.topK],
    ['user', request.user],
  ]
  for (const [name, value] of dropped) if (value !== null) degraded.push(name)
  if (request.promptCaching) degraded.push('cache_control')
  return config
}

function thinkingOf(request: CanonicalChatRequest, upstreamModel: string, degraded: Degraded): Record<string, unknown> | null {
  const reasoning = request.reasoning
  if (!reasoning) return null
  if (!upstreamModel.includes('anthropic.')) {
    degraded.push('reasoning (only Anthropic models on Bedrock take a thinking budget)')
    return null
  }
  const budget = reasoning.budgetTokens ?? THINKING_BUDGETS[reasoning.effort ?? 'medium']
  return { thinking: { type: 'enabled', budget_tokens: budget } }
}

export function toConverseBody(request: CanonicalChatRequest, upstreamModel: string): { body: Record<string, unknown>; degraded: Degraded } {
  const degraded: Degraded = []
  // Converse has only the top-level system: mid-conversation system messages join it, in order.
  const conversation = splitSystemEntries(request.messages)
  if (conversation.system.length > 0) degraded.push('system message position (moved to the system prompt)')
  const body: Record<string, unknown> = { messages: messagesOf(conversation.messages, degraded) }
  const system = [...request.system, ...conversation.system]
  if (request.responseFormat?.type === 'json_object') {
    system.push(JSON_OBJECT_INSTRUCTION)
    degraded.push('response_format=json_object (sent as an instruction)')
  }
  if (system.length > 0) body.system = system.map((text) => ({ text }))
  const inference = inferenceConfigOf(request, degraded)
  if (Object.keys(inference).length > 0) body.inferenceConfig = inference
  const toolConfig = toolConfigOf(request, degraded)
  if (toolConfig) body.toolConfig = toolConfig
  const thinking = thinkingOf(request, upstreamModel, degraded)
  if (thinking) body.additionalModelRequestFields = thinking
  return { body, degraded: [...new Set(degraded)] }
}
