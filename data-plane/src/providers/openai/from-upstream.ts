import type { CanonicalChatResponse, CanonicalError, CanonicalErrorKind, CanonicalStopReason, CanonicalUsage } from '../../dialects/canonical.ts'
import { usageOf, WireCompletion, WireErrorBody, type WireUsage } from './wire.ts'

// OpenAI answers → canonical: a whole completion (choice 0), finish reasons, usage and errors.

export const STOP_REASONS: Record<string, CanonicalStopReason> = {
  stop: 'end_turn',
  length: 'max_tokens',
  tool_calls: 'tool_use',
  function_call: 'tool_use',
  content_filter: 'refusal',
}

export function canonicalUsage(wire: WireUsage | null | undefined): CanonicalUsage | null {
  const usage = usageOf(wire)
  return usage ? { ...usage, cacheWriteTokens: null } : null
}

export function completionFromOpenAI(json: unknown): CanonicalChatResponse | null {
  const parsed = WireCompletion.safeParse(json)
  const choice = parsed.success ? parsed.data.choices[0] : undefined
  if (!parsed.success || !choice) return null
  const { message } = choice
  const content: CanonicalChatResponse['content'] = []
  if (message.reasoning_content) content.push({ type: 'thinking', text: message.reasoning_content, signature: null })
  const text = message.content ?? message.refusal
  if (text) content.push({ type: 'text', text })
  for (const call of message.tool_calls ?? []) {
    content.push({ type: 'tool_call', id: call.id, name: call.function.name, arguments: call.function.arguments ?? '' })
  }
  const finish = choice.finish_reason
  return {
    id: parsed.data.id ?? '',
    model: parsed.data.model ?? '',
    content,
    stopReason: message.refusal && !message.content ? 'refusal' : finish ? (STOP_REASONS[finish] ?? 'end_turn') : null,
    stopSequence: null,
    usage: canonicalUsage(parsed.data.usage),
  }
}

const STATUS_KINDS: Record<number, CanonicalErrorKind> = {
  400: 'invalid_request',
  401: 'authentication',
  403: 'permission',
  404: 'not_found',
  413: 'request_too_large',
  429: 'rate_limit',
  503: 'overloaded',
  504: 'timeout',
}

/** An OpenAI error (HTTP status + `{"error":{message,type,code}}`, or an in-band stream error) → canonical. */
export function errorFromOpenAI(status: number, json: unknown): CanonicalError {
  const parsed = WireErrorBody.safeParse(json)
  const error = parsed.success ? parsed.data.error : null
  let kind: CanonicalErrorKind = STATUS_KINDS[status] ?? (status >= 500 ? 'api_error' : 'invalid_request')
  if (error?.code === 'insufficient_quota' || error?.type === 'insufficient_quota') kind = 'billing'
  return { kind, status, message: error?.message ?? `The upstream provider answered with HTTP ${status}.` }
}
