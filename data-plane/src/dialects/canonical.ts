import type { Usage } from '@switchyard/shared/events'

// The canonical chat model that joins the two axes (DESIGN "dialects vs providers"): a client
// dialect parses its body into a CanonicalChatRequest and renders CanonicalChatResponse /
// CanonicalStreamEvent back in its own wire format; a provider adapter renders the request for
// its upstream and parses the upstream's answers into these types. Only cross-family requests
// go through here; same-family requests pass through byte for byte.

export type ImageSource = { kind: 'url'; url: string } | { kind: 'base64'; mediaType: string; data: string }

export interface TextPart {
  type: 'text'
  text: string
}
export interface ImagePart {
  type: 'image'
  source: ImageSource
  /** OpenAI's `detail` hint; Anthropic has none. */
  detail: 'auto' | 'low' | 'high' | null
}
export interface ToolCallPart {
  type: 'tool_call'
  id: string
  name: string
  /** The arguments as JSON text (OpenAI's form; Anthropic's `input` object is stringified). */
  arguments: string
}
export interface ToolResultPart {
  type: 'tool_result'
  toolCallId: string
  content: (TextPart | ImagePart)[]
  isError: boolean
}
export interface ThinkingPart {
  type: 'thinking'
  text: string
  /** Anthropic's signature (needed to send the block back); null when the provider gives none. */
  signature: string | null
}
export interface RedactedThinkingPart {
  type: 'redacted_thinking'
  data: string
}

export type CanonicalPart = TextPart | ImagePart | ToolCallPart | ToolResultPart | ThinkingPart | RedactedThinkingPart

export interface CanonicalMessage {
  role: 'user' | 'assistant'
  content: CanonicalPart[]
}

/**
 * System instructions at a position in the conversation (Anthropic's mid-conversation
 * `role: "system"` message): they apply from that point on. The leading prompt stays in
 * CanonicalChatRequest.system.
 */
export interface CanonicalSystemMessage {
  role: 'system'
  content: TextPart[]
}

export type CanonicalEntry = CanonicalMessage | CanonicalSystemMessage

export interface CanonicalTool {
  name: string
  description: string | null
  /** JSON Schema of the arguments. */
  parameters: Record<string, unknown>
  strict: boolean | null
}

export type CanonicalToolChoice = { type: 'auto' } | { type: 'none' } | { type: 'required' } | { type: 'tool'; name: string }

export type CanonicalResponseFormat =
  | { type: 'text' }
  | { type: 'json_object' }
  | { type: 'json_schema'; name: string; description: string | null; schema: Record<string, unknown>; strict: boolean | null }

export type ReasoningEffort = 'minimal' | 'low' | 'medium' | 'high'

/** Reasoning asked for: OpenAI speaks in efforts, Anthropic in token budgets; either may be set. */
export interface CanonicalReasoning {
  effort: ReasoningEffort | null
  budgetTokens: number | null
}

export interface CanonicalChatRequest {
  /** System instructions in order (OpenAI system/developer messages, Anthropic `system`). */
  system: string[]
  /** The conversation; system entries only where the client put instructions mid-conversation. */
  messages: CanonicalEntry[]
  /** null = the client named no limit (the adapter sends its documented default if required). */
  maxTokens: number | null
  temperature: number | null
  topP: number | null
  topK: number | null
  stop: string[]
  seed: number | null
  presencePenalty: number | null
  frequencyPenalty: number | null
  stream: boolean
  /** The client asked for usage in its stream (OpenAI `stream_options.include_usage`). */
  streamUsage: boolean
  tools: CanonicalTool[]
  toolChoice: CanonicalToolChoice | null
  parallelToolCalls: boolean | null
  responseFormat: CanonicalResponseFormat | null
  reasoning: CanonicalReasoning | null
  /** An end-user id (OpenAI `user`, Anthropic `metadata.user_id`). */
  user: string | null
  /** The client marked prompt-cache breakpoints (Anthropic `cache_control`). */
  promptCaching: boolean
}

export type CanonicalStopReason = 'end_turn' | 'max_tokens' | 'tool_use' | 'stop_sequence' | 'refusal'

/** Usage as the provider reported it (shared Usage), plus what only some providers report. */
export interface CanonicalUsage extends Usage {
  cacheWriteTokens: number | null
}

export interface CanonicalChatResponse {
  id: string
  model: string
  content: (TextPart | ToolCallPart | ThinkingPart | RedactedThinkingPart)[]
  stopReason: CanonicalStopReason | null
  stopSequence: string | null
  usage: CanonicalUsage | null
}

export type CanonicalBlock =
  | { type: 'text' }
  | { type: 'thinking' }
  | { type: 'redacted_thinking'; data: string }
  | { type: 'tool_call'; id: string; name: string }

export type CanonicalDelta =
  | { type: 'text'; text: string }
  | { type: 'thinking'; text: string }
  | { type: 'signature'; signature: string }
  | { type: 'tool_arguments'; json: string }

export type CanonicalErrorKind =
  | 'invalid_request'
  | 'authentication'
  | 'permission'
  | 'not_found'
  | 'request_too_large'
  | 'rate_limit'
  | 'billing'
  | 'api_error'
  | 'overloaded'
  | 'timeout'

/** An upstream's error (HTTP or in-band), read by the provider adapter. */
export interface CanonicalError {
  kind: CanonicalErrorKind
  /** The HTTP status the upstream answered (or would have answered) with. */
  status: number
  message: string
}

/**
 * A stream in one grammar: message_start, then blocks (block_start, block_delta*, block_stop),
 * then message_delta (stop reason + whole-message usage), then message_stop. Blocks never
 * interleave. An `error` event ends the stream early.
 */
export type CanonicalStreamEvent =
  | { type: 'message_start'; id: string; model: string; usage: CanonicalUsage | null }
  | { type: 'block_start'; index: number; block: CanonicalBlock }
  | { type: 'block_delta'; index: number; delta: CanonicalDelta }
  | { type: 'block_stop'; index: number }
  | { type: 'message_delta'; stopReason: CanonicalStopReason | null; stopSequence: string | null; usage: CanonicalUsage | null }
  | { type: 'message_stop' }
  | { type: 'error'; error: CanonicalError }

/** What one translation step could not carry and dropped (named in `x-switchyard-degraded`). */
export type Degraded = string[]

/** The conversation without its mid-conversation system entries, and their texts in order (for upstreams with only a leading system prompt). */
export function splitSystemEntries(entries: CanonicalEntry[]): { messages: CanonicalMessage[]; system: string[] } {
  const messages: CanonicalMessage[] = []
  const system: string[] = []
  for (const entry of entries) {
    if (entry.role === 'system') system.push(entry.content.map((part) => part.text).join(''))
    else messages.push(entry)
  }
  return { messages, system }
}

export function emptyRequest(): CanonicalChatRequest {
  return {
    system: [],
    messages: [],
    maxTokens: null,
    temperature: null,
    topP: null,
    topK: null,
    stop: [],
    seed: null,
    presencePenalty: null,
    frequencyPenalty: null,
    stream: false,
    streamUsage: false,
    tools: [],
    toolChoice: null,
    parallelToolCalls: null,
    responseFormat: null,
    reasoning: null,
    user: null,
    promptCaching: false,
  }
}
