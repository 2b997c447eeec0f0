import { type CanonicalChatRequest, type CanonicalMessage, type CanonicalPart, type Degraded, type ImagePart, type ReasoningEffort, splitSystemEntries } from '../../dialects/canonical.ts'
import { parseArguments } from '../../dialects/anthropic/response.ts'
import { GatewayError } from '../../errors.ts'
import { SIGNED_CALL_PREFIX } from './from-upstream.ts'
import { normaliseSchema } from './schema.ts'

// CanonicalChatRequest → a Gemini generateContent body. Roles user/model; the system prompt is
// `systemInstruction`; tool calls are functionCall parts and tool results functionResponse
// parts, matched by the name of the call they answer (Gemini has no call ids). Images must be
// inline (base64 or a `data:` URL): Gemini cannot fetch an http(s) URL, so one is a 400.
// JSON schemas (structured output, tool parameters) are normalised to the subset Gemini takes
// (schema.ts) and the dropped keywords named. Sent-back thinking has no input form (dropped).

type Part = Record<string, unknown>
interface Content {
  role: 'user' | 'model'
  parts: Part[]
}

/** A reasoning effort as a Gemini thinking budget (tokens). */
export const GEMINI_THINKING_BUDGETS: Record<ReasoningEffort, number> = { minimal: 0, low: 1024, medium: 8192, high: 24576 }

function inlineImage(part: ImagePart, degraded: Degraded): Part {
  if (part.source.kind === 'url') {
    throw new GatewayError(
      'SY_ERR_REQUEST_UNTRANSLATABLE',
      'Gemini connections take images inline only (base64, or a data: URL); the gateway does not fetch image URLs. Send the image as base64.',
      { param: 'image_url' },
    )
  }
  if (part.detail && part.detail !== 'auto') degraded.push('image_url.detail')
  return { inlineData: { mimeType: part.source.mediaType, data: part.source.data } }
}

function toolResultParts(part: Extract<CanonicalPart, { type: 'tool_result' }>, names: Map<string, string>, degraded: Degraded): Part[] {
  const name = names.get(part.toolCallId)
  if (name === undefined) {
    throw new GatewayError('SY_ERR_REQUEST_INVALID', `The tool result for '${part.toolCallId}' answers no tool call of an earlier assistant turn.`, { param: 'messages' })
  }
  const text = part.content.flatMap((p) => (p.type === 'text' ? [p.text] : [])).join('')
  const images = part.content.flatMap((p) => (p.type === 'image' ? [inlineImage(p, degraded)] : []))
  if (images.length > 0) degraded.push('tool_result images (sent as parts after the function response)')
  return [{ functionResponse: { name, response: part.isError ? { error: text } : { content: text } } }, ...images]
}

/** A call answered earlier by Gemini goes back with its thoughtSignature (carried in its id, from-upstream.ts). */
function functionCallPart(part: Extract<CanonicalPart, { type: 'tool_call' }>): Part {
  const call: Part = { functionCall: { name: part.name, args: parseArguments(part.arguments) } }
  if (part.id.startsWith(SIGNED_CALL_PREFIX)) call.thoughtSignature = Buffer.from(part.id.slice(SIGNED_CALL_PREFIX.length), 'base64url').toString('utf8')
  return call
}

function partsOf(message: CanonicalMessage, names: Map<string, string>, degraded: Degraded): Part[] {
  return message.content.flatMap((part): Part[] => {
    switch (part.type) {
      case 'text':
        return part.text.length > 0 ? [{ text: part.text }] : []
      case 'image':
        return [inlineImage(part, degraded)]
      case 'tool_call':
        return [functionCallPart(part)]
      case 'tool_result':
        return toolResultParts(part, names, degraded)
      default:
        degraded.push('thinking blocks')
        return []
    }
  })
}

function contentsOf(messages: CanonicalMessage[], degraded: Degraded): Content[] {
  const names = new Map<string, string>()
  const out: Content[] = []
  for (const message of messages) {
    for (const part of message.content) if (part.type === 'tool_call') names.set(part.id, part.name)
    const parts = partsOf(message, names, degraded)
    if (parts.length === 0) continue
    const role = message.role === 'assistant' ? 'model' : 'user'
    const last = out.at(-1)
    if (last?.role === role) last.parts.push(...parts)
    else out.push({ role, parts })
  }
  return out
}

function toolsOf(request: CanonicalChatRequest, body: Record<string, unknown>, dropped: Set<string>, degraded: Degraded): void {
  if (request.tools.length === 0) return
  const functionDeclarations = request.tools.map((tool) => ({
    name: tool.name,
    ...(tool.description !== null ? { description: tool.description } : {}),
    ...(Object.keys(tool.parameters).length > 0 ? { parameters: normaliseSchema(tool.parameters, dropped) } : {}),
  }))
  body.tools = [{ functionDeclarations }]
  if (request.tools.some((t) => t.strict !== null)) dropped.add('strict')
  const choice = request.toolChoice
  if (choice) {
    const mode = choice.type === 'auto' ? 'AUTO' : choice.type === 'none' ? 'NONE' : 'ANY'
    body.toolConfig = { functionCallingConfig: { mode, ...(choice.type === 'tool' ? { allowedFunctionNames: [choice.name] } : {}) } }
  }
  if (request.parallelToolCalls === false) degraded.push('parallel_tool_calls')
}

function thinkingOf(request: CanonicalChatRequest): Record<string, unknown> | null {
  const reasoning = request.reasoning
  if (!reasoning) return null
  const budget = reasoning.budgetTokens ?? GEMINI_THINKING_BUDGETS[reasoning.effort ?? 'medium']
  return budget === 0 ? { thinkingBudget: 0 } : { thinkingBudget: budget, includeThoughts: true }
}

function generationConfigOf(request: CanonicalChatRequest, dropped: Set<string>): Record<string, unknown> {
  const config: Record<string, unknown> = {}
  const scalars: [string, number | null][] = [
    ['maxOutputTokens', request.maxTokens],
    ['temperature', request.temperature],
    ['topP', request.topP],
    ['topK', request.topK],
    ['seed', request.seed],
    ['presencePenalty', request.presencePenalty],
    ['frequencyPenalty', request.frequencyPenalty],
  ]
  for (const [name, value] of scalars) if (value !== null) config[name] = value
  if (request.stop.length > 0) config.stopSequences = request.stop
  const format = request.responseFormat
  if (format?.type === 'json_object' || format?.type === 'json_schema') config.responseMimeType = 'application/json'
  if (format?.type === 'json_schema') {
    config.responseSchema = normaliseSchema(format.schema, dropped)
    if (format.strict !== null) dropped.add('strict')
  }
  const thinking = thinkingOf(request)
  if (thinking) config.thinkingConfig = thinking
  return config
}

export function toGeminiBody(request: CanonicalChatRequest): { body: Record<string, unknown>; degraded: Degraded } {
  const degraded: Degraded = []
  const dropped = new Set<string>()
  // Gemini has only systemInstruction: mid-conversation system messages join it, in order.
  const conversation = splitSystemEntries(request.messages)
  if (conversation.system.length > 0) degraded.push('system message position (moved to the system prompt)')
  const system = [...request.system, ...conversation.system]
  const body: Record<string, unknown> = { contents: contentsOf(conversation.messages, degraded) }
  if (system.length > 0) body.systemInstruction = { parts: system.map((text) => ({ text })) }
  toolsOf(request, body, dropped, degraded)
  const config = generationConfigOf(request, dropped)
  if (Object.keys(config).length > 0) body.generationConfig = config
  if (dropped.size > 0) degraded.push(...[...dropped].sort().map((keyword) => `json_schema.${keyword}`))
  if (request.user !== null) degraded.push('user')
  if (request.promptCaching) degraded.push('cache_control')
  return { body, degraded: [...new Set(degraded)] }
}
