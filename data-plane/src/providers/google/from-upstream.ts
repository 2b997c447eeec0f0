import type { CanonicalChatResponse, CanonicalError, CanonicalErrorKind, CanonicalStopReason } from '../../dialects/canonical.ts'
import { parseWireResponse, usageOf, WireError, type WirePart } from './wire.ts'

// Gemini answers → canonical. Gemini has no tool call ids: each functionCall gets a stable id
// from its position and name (`call_<index>_<name>`, or `gts_<signature>` when it carries a
// thoughtSignature), and tool results are mapped back by the name of the call they answer
// (to-upstream.ts). Thought parts are thinking blocks.

const FILTERED = new Set(['SAFETY', 'RECITATION', 'BLOCKLIST', 'PROHIBITED_CONTENT', 'SPII', 'IMAGE_SAFETY', 'LANGUAGE'])

export function stopReasonOf(finishReason: string | null | undefined, sawToolCall: boolean): CanonicalStopReason | null {
  if (!finishReason || finishReason === 'FINISH_REASON_UNSPECIFIED') return null
  if (finishReason === 'MAX_TOKENS') return 'max_tokens'
  if (FILTERED.has(finishReason)) return 'refusal'
  return sawToolCall ? 'tool_use' : 'end_turn'
}

/** Ids that carry a functionCall's thoughtSignature (Gemini requires it back with the call). */
export const SIGNED_CALL_PREFIX = 'gts_'

/**
 * A stable id for the n-th function call of an answer (Gemini gives none, or its own). A call
 * with a `thoughtSignature` carries it in its id (base64url), so it can go back upstream with the
 * call through clients that keep only ids (to-upstream.ts).
 */
export function toolCallId(index: number, name: string, given: string | null | undefined, signature?: string | null): string {
  if (signature) return `${SIGNED_CALL_PREFIX}${Buffer.from(signature, 'utf8').toString('base64url')}`
  return given ? given : `call_${index}_${name.replace(/[^A-Za-z0-9_-]/g, '_')}`
}

export function partsOf(parts: WirePart[], firstCallIndex = 0): CanonicalChatResponse['content'] {
  let calls = firstCallIndex
  return parts.flatMap((part): CanonicalChatResponse['content'] => {
    if (part.functionCall) {
      const { name, args, id } = part.functionCall
      return [{ type: 'tool_call', id: toolCallId(calls++, name, id, part.thoughtSignature), name, arguments: JSON.stringify(args ?? {}) }]
    }
    if (typeof part.text !== 'string') return []
    return [part.thought ? { type: 'thinking', text: part.text, signature: null } : { type: 'text', text: part.text }]
  })
}

export function responseFromGemini(json: unknown): CanonicalChatResponse | null {
  const response = parseWireResponse(json)
  if (!response || response.error || (!response.candidates && !response.promptFeedback)) return null
  const candidate = response.candidates?.[0]
  const content = partsOf(candidate?.content?.parts ?? [])
  const blocked = !candidate && response.promptFeedback?.blockReason
  return {
    id: response.responseId ?? '',
    model: response.modelVersion ?? '',
    content,
    stopReason: blocked ? 'refusal' : stopReasonOf(candidate?.finishReason ?? 'STOP', content.some((p) => p.type === 'tool_call')),
    stopSequence: null,
    usage: usageOf(response.usageMetadata),
  }
}

/** google.rpc.Code names → canonical kinds (and the HTTP status Gemini answers them with). */
const STATUS: Record<string, { kind: CanonicalErrorKind; status: number }> = {
  INVALID_ARGUMENT: { kind: 'invalid_request', status: 400 },
  FAILED_PRECONDITION: { kind: 'invalid_request', status: 400 },
  OUT_OF_RANGE: { kind: 'invalid_request', status: 400 },
  UNAUTHENTICATED: { kind: 'authentication', status: 401 },
  PERMISSION_DENIED: { kind: 'permission', status: 403 },
  NOT_FOUND: { kind: 'not_found', status: 404 },
  RESOURCE_EXHAUSTED: { kind: 'rate_limit', status: 429 },
  CANCELLED: { kind: 'api_error', status: 499 },
  INTERNAL: { kind: 'api_error', status: 500 },
  UNKNOWN: { kind: 'api_error', status: 500 },
  UNAVAILABLE: { kind: 'overloaded', status: 503 },
  DEADLINE_EXCEEDED: { kind: 'timeout', status: 504 },
}

function kindOfStatus(status: number): CanonicalErrorKind {
  const byStatus: Record<number, CanonicalErrorKind> = { 401: 'authentication', 403: 'permission', 404: 'not_found', 413: 'request_too_large', 429: 'rate_limit', 503: 'overloaded', 504: 'timeout' }
  return byStatus[status] ?? (status >= 500 ? 'api_error' : 'invalid_request')
}

/** `{"error":{code,message,status}}` (HTTP, or a chunk of a stream) → canonical. An invalid API key (400 API_KEY_INVALID) is a 401. */
export function errorFromGemini(httpStatus: number | null, json: unknown): CanonicalError {
  const body = typeof json === 'object' && json !== null ? (json as { error?: unknown }).error : undefined
  const parsed = WireError.safeParse(body)
  const error = parsed.success ? parsed.data : null
  const status = httpStatus ?? error?.code ?? 500
  const message = error?.message ?? `The upstream provider answered with HTTP ${status}.`
  if (JSON.stringify(error?.details ?? []).includes('API_KEY_INVALID')) return { kind: 'authentication', status: 401, message }
  const known = error?.status ? STATUS[error.status] : undefined
  return { kind: known?.kind ?? kindOfStatus(status), status: httpStatus ?? known?.status ?? status, message }
}
