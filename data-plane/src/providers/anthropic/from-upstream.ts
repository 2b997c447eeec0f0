import type {
  CanonicalChatResponse,
  CanonicalError,
  CanonicalErrorKind,
  CanonicalStopReason,
  CanonicalUsage,
} from '../../dialects/canonical.ts'
import { statusOfErrorType, usageOf, type WireContentBlock, WireErrorBody, WireFullMessage, type WireUsage } from './wire.ts'

// Anthropic answers → canonical: a whole message, stop reasons, usage and errors. Server-tool
// blocks (server_tool_use, web_search_tool_result, …) have no client-side counterpart and are
// left out.

const STOP_REASONS: Record<string, CanonicalStopReason> = {
  end_turn: 'end_turn',
  max_tokens: 'max_tokens',
  stop_sequence: 'stop_sequence',
  tool_use: 'tool_use',
  refusal: 'refusal',
  pause_turn: 'end_turn',
  model_context_window_exceeded: 'max_tokens',
}

export function stopReasonOf(reason: string | null | undefined): CanonicalStopReason | null {
  return reason ? (STOP_REASONS[reason] ?? 'end_turn') : null
}

export function canonicalUsage(wire: WireUsage | null | undefined): CanonicalUsage | null {
  const usage = usageOf(wire)
  return usage ? { ...usage, cacheWriteTokens: wire?.cache_creation_input_tokens ?? null } : null
}

export function partOf(block: WireContentBlock): CanonicalChatResponse['content'][number] | null {
  switch (block.type) {
    case 'text':
      return { type: 'text', text: block.text ?? '' }
    case 'thinking':
      return { type: 'thinking', text: block.thinking ?? '', signature: block.signature ?? null }
    case 'redacted_thinking':
      return { type: 'redacted_thinking', data: block.data ?? '' }
    case 'tool_use':
      return { type: 'tool_call', id: block.id ?? '', name: block.name ?? '', arguments: JSON.stringify(block.input ?? {}) }
    default:
      return null
  }
}

export function messageFromAnthropic(json: unknown): CanonicalChatResponse | null {
  const parsed = WireFullMessage.safeParse(json)
  if (!parsed.success) return null
  const message = parsed.data
  return {
    id: message.id ?? '',
    model: message.model ?? '',
    content: message.content.flatMap((block) => partOf(block) ?? []),
    stopReason: stopReasonOf(message.stop_reason),
    stopSequence: message.stop_sequence ?? null,
    usage: canonicalUsage(message.usage),
  }
}

const KINDS: Record<string, CanonicalErrorKind> = {
  invalid_request_error: 'invalid_request',
  authentication_error: 'authentication',
  permission_error: 'permission',
  not_found_error: 'not_found',
  request_too_large: 'request_too_large',
  rate_limit_error: 'rate_limit',
  billing_error: 'billing',
  api_error: 'api_error',
  overloaded_error: 'overloaded',
  timeout_error: 'timeout',
}

/** An Anthropic error (`{"type":"error","error":{type,message}}`, HTTP or in-band) → canonical. */
export function errorFromAnthropic(status: number | null, json: unknown): CanonicalError {
  const parsed = WireErrorBody.safeParse(json)
  const error = parsed.success ? parsed.data.error : null
  const httpStatus = status ?? statusOfErrorType(error?.type)
  const kind = (error && KINDS[error.type]) ?? (httpStatus >= 500 ? 'api_error' : 'invalid_request')
  return { kind, status: httpStatus, message: error?.message ?? `The upstream provider answered with HTTP ${httpStatus}.` }
}
