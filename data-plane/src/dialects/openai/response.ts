import type { CanonicalChatResponse, CanonicalStopReason, CanonicalUsage, ToolCallPart } from '../canonical.ts'

// CanonicalChatResponse → an OpenAI `chat.completion` object, as OpenAI itself shapes it.
// Thinking goes into `message.reasoning_content` (the extension DeepSeek, vLLM and others use:
// Chat Completions has no reasoning field of its own).

export type FinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter'

export const FINISH_REASONS: Record<CanonicalStopReason, FinishReason> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  max_tokens: 'length',
  tool_use: 'tool_calls',
  refusal: 'content_filter',
}

export interface WireUsageOut {
  prompt_tokens: number
  completion_tokens: number
  total_tokens: number
  prompt_tokens_details: { cached_tokens: number }
  completion_tokens_details?: { reasoning_tokens: number }
}

export function renderUsage(usage: CanonicalUsage | null): WireUsageOut {
  const prompt = usage?.promptTokens ?? 0
  const completion = usage?.completionTokens ?? 0
  const rendered: WireUsageOut = {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: usage?.totalTokens ?? prompt + completion,
    prompt_tokens_details: { cached_tokens: usage?.cachedPromptTokens ?? 0 },
  }
  if (usage?.reasoningTokens !== null && usage?.reasoningTokens !== undefined) {
    rendered.completion_tokens_details = { reasoning_tokens: usage.reasoningTokens }
  }
  return rendered
}

export function renderToolCall(part: ToolCallPart) {
  return { id: part.id, type: 'function' as const, function: { name: part.name, arguments: part.arguments } }
}

export function renderOpenAIResponse(response: CanonicalChatResponse): unknown {
  const text = response.content.flatMap((p) => (p.type === 'text' ? [p.text] : []))
  const thinking = response.content.flatMap((p) => (p.type === 'thinking' ? [p.text] : []))
  const toolCalls = response.content.flatMap((p) => (p.type === 'tool_call' ? [renderToolCall(p)] : []))
  const message: Record<string, unknown> = {
    role: 'assistant',
    content: text.length > 0 ? text.join('') : null,
    refusal: null,
    annotations: [],
  }
  if (thinking.length > 0) message.reasoning_content = thinking.join('')
  if (toolCalls.length > 0) message.tool_calls = toolCalls
  return {
    id: response.id,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: response.model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: response.stopReason ? FINISH_REASONS[response.stopReason] : 'stop' }],
    usage: renderUsage(response.usage),
  }
}
