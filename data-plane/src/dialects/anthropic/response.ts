import type { CanonicalChatResponse, CanonicalUsage } from '../canonical.ts'

// CanonicalChatResponse → an Anthropic `message` object, as Anthropic itself shapes it. Usage:
// `input_tokens` counts only what was neither read from nor written to the prompt cache (the
// provider's whole prompt minus its cached part); cache writes are 0 when the provider has none.

export interface WireUsageOut {
  input_tokens: number
  output_tokens: number
  cache_creation_input_tokens: number
  cache_read_input_tokens: number
}

export function renderUsage(usage: CanonicalUsage | null): WireUsageOut {
  const cacheRead = usage?.cachedPromptTokens ?? 0
  const cacheWrite = usage?.cacheWriteTokens ?? 0
  return {
    input_tokens: Math.max(0, (usage?.promptTokens ?? 0) - cacheRead - cacheWrite),
    output_tokens: usage?.completionTokens ?? 0,
    cache_creation_input_tokens: cacheWrite,
    cache_read_input_tokens: cacheRead,
  }
}

function renderBlock(part: CanonicalChatResponse['content'][number]): unknown {
  switch (part.type) {
    case 'text':
      return { type: 'text', text: part.text }
    case 'thinking':
      return { type: 'thinking', thinking: part.text, signature: part.signature ?? '' }
    case 'redacted_thinking':
      return { type: 'redacted_thinking', data: part.data }
    case 'tool_call':
      return { type: 'tool_use', id: part.id, name: part.name, input: parseArguments(part.arguments) }
  }
}

/** Tool arguments as the object Anthropic's `input` is; text that is no JSON object is kept under `_raw`. */
export function parseArguments(json: string): Record<string, unknown> {
  if (json.trim() === '') return {}
  try {
    const value: unknown = JSON.parse(json)
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>
  } catch {
    // fall through
  }
  return { _raw: json }
}

export function renderAnthropicResponse(response: CanonicalChatResponse): unknown {
  return {
    id: response.id,
    type: 'message',
    role: 'assistant',
    model: response.model,
    content: response.content.map(renderBlock),
    stop_reason: response.stopReason ?? 'end_turn',
    stop_sequence: response.stopSequence,
    usage: renderUsage(response.usage),
  }
}
