import { randomBytes } from 'node:crypto'
import type { CanonicalChatResponse, CanonicalError, CanonicalErrorKind, CanonicalStopReason } from '../../dialects/canonical.ts'
import { usageOf, type WireContentBlock, WireConverseResponse } from './wire.ts'

// Converse answers → canonical. Converse returns neither a message id nor the model: the id is
// minted here and the model left empty (the request log keeps the requested one). Structured
// output is asked for as a forced tool (STRUCTURED_OUTPUT_TOOL, to-upstream.ts): its toolUse is
// read back as the JSON text answer.

/** The synthetic tool that carries a JSON-schema response format (Converse has no response format). */
export const STRUCTURED_OUTPUT_TOOL = 'switchyard_structured_output'

const STOP_REASONS: Record<string, CanonicalStopReason> = {
  end_turn: 'end_turn',
  tool_use: 'tool_use',
  max_tokens: 'max_tokens',
  stop_sequence: 'stop_sequence',
  content_filtered: 'refusal',
  guardrail_intervened: 'refusal',
  model_context_window_exceeded: 'max_tokens',
}

export function stopReasonOf(reason: string | null | undefined, structured: boolean): CanonicalStopReason | null {
  if (!reason) return null
  if (structured && reason === 'tool_use') return 'end_turn'
  return STOP_REASONS[reason] ?? 'end_turn'
}

export const newMessageId = () => `msg_bdrk_${randomBytes(12).toString('hex')}`

function partOf(block: WireContentBlock): CanonicalChatResponse['content'][number] | null {
  if (typeof block.text === 'string') return { type: 'text', text: block.text }
  if (block.toolUse) {
    const { toolUseId, name, input } = block.toolUse
    if (name === STRUCTURED_OUTPUT_TOOL) return { type: 'text', text: JSON.stringify(input ?? {}) }
    return { type: 'tool_call', id: toolUseId, name, arguments: JSON.stringify(input ?? {}) }
  }
  const reasoning = block.reasoningContent
  if (reasoning?.reasoningText) return { type: 'thinking', text: reasoning.reasoningText.text ?? '', signature: reasoning.reasoningText.signature ?? null }
  if (reasoning?.redactedContent) return { type: 'redacted_thinking', data: reasoning.redactedContent }
  return null
}

export function responseFromConverse(json: unknown): CanonicalChatResponse | null {
  const parsed = WireConverseResponse.safeParse(json)
  if (!parsed.success) return null
  const blocks = parsed.data.output.message.content
  const structured = blocks.some((b) => b.toolUse?.name === STRUCTURED_OUTPUT_TOOL)
  return {
    id: newMessageId(),
    model: '',
    content: blocks.flatMap((b) => partOf(b) ?? []),
    stopReason: stopReasonOf(parsed.data.stopReason, structured),
    stopSequence: null,
    usage: usageOf(parsed.data.usage),
  }
}

/** Bedrock's exception names (HTTP `x-amzn-errortype`, or stream exception events) → kind and status. */
const EXCEPTIONS: Record<string, { kind: CanonicalErrorKind; status: number }> = {
  validationexception: { kind: 'invalid_request', status: 400 },
  accessdeniedexception: { kind: 'permission', status: 403 },
  unrecognizedclientexception: { kind: 'authentication', status: 403 },
  invalidsignatureexception: { kind: 'authentication', status: 403 },
  resourcenotfoundexception: { kind: 'not_found', status: 404 },
  modeltimeoutexception: { kind: 'timeout', status: 408 },
  modelerrorexception: { kind: 'api_error', status: 424 },
  modelstreamerrorexception: { kind: 'api_error', status: 424 },
  throttlingexception: { kind: 'rate_limit', status: 429 },
  servicequotaexceededexception: { kind: 'rate_limit', status: 429 },
  internalserverexception: { kind: 'api_error', status: 500 },
  serviceunavailableexception: { kind: 'overloaded', status: 503 },
  modelnotreadyexception: { kind: 'overloaded', status: 503 },
}

function kindOfStatus(status: number): CanonicalErrorKind {
  const byStatus: Record<number, CanonicalErrorKind> = { 401: 'authentication', 403: 'permission', 404: 'not_found', 408: 'timeout', 413: 'request_too_large', 429: 'rate_limit', 503: 'overloaded' }
  return byStatus[status] ?? (status >= 500 ? 'api_error' : 'invalid_request')
}

function messageOf(json: unknown): string | null {
  if (typeof json !== 'object' || json === null) return null
  const { message, Message } = json as { message?: unknown; Message?: unknown }
  return typeof message === 'string' ? message : typeof Message === 'string' ? Message : null
}

/** An HTTP error (`{"message"}`, the exception named in `x-amzn-errortype` or `__type`) or a stream exception → canonical. */
export function errorFromBedrock(status: number | null, json: unknown, exception: string | null = null): CanonicalError {
  const typeField = typeof json === 'object' && json !== null ? (json as { __type?: unknown }).__type : undefined
  const name = (exception ?? (typeof typeField === 'string' ? typeField : '')).split(/[:#]/).filter(Boolean).at(-1) ?? ''
  const known = EXCEPTIONS[name.toLowerCase()]
  const httpStatus = status ?? known?.status ?? 500
  const message = messageOf(json) ?? `The upstream provider answered with HTTP ${httpStatus}.`
  // A 403 about the signature or the access key is an authentication failure (the body alone does not name the exception).
  const badCredentials = !known && httpStatus === 403 && /signature|security token|access key/i.test(message)
  return { kind: badCredentials ? 'authentication' : (known?.kind ?? kindOfStatus(httpStatus)), status: httpStatus, message }
}
