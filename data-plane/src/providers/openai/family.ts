import { z } from 'zod'
import type { RuntimeProvider } from '../../runtime/compile.ts'
import type { ChatRequestInput, EndpointCapability, ProviderAdapter, ResponseFacts, StreamEventFacts, StreamReader } from '../types.ts'
import { completionFromOpenAI, errorFromOpenAI } from './from-upstream.ts'
import { passthroughBody } from '../passthrough-body.ts'
import { applyQuirks, NO_QUIRKS, type OpenAIQuirks } from './quirks.ts'
import { createResponsesStreamReader, readResponsesBody } from './responses.ts'
import { OpenAIStreamDecoder } from './stream-decoder.ts'
import { toOpenAIBody } from './to-upstream.ts'
import { usageOf, WireUsage } from './wire.ts'
import { openaiErrorKinds } from './error-kinds.ts'

// The OpenAI wire family: one adapter shape for every upstream that speaks OpenAI's API
// (`openai`, `openai-compatible`, `azure-openai`). A member declares only how it differs:
// where each operation lives (URL), how it authenticates, its quirks (as data) and which extra
// endpoints it serves. Passthrough for OpenAI clients (the body with `model` replaced, usage
// asked for on streams), and one translator for Anthropic clients (canonical ↔ OpenAI wire).

export type OpenAIOperation = 'chat' | 'embeddings' | 'responses'

export interface OpenAIFamilySpec {
  url(provider: RuntimeProvider, operation: OpenAIOperation, upstreamModel: string): URL
  authHeaders(provider: RuntimeProvider): Record<string, string>
  quirks(provider: RuntimeProvider): OpenAIQuirks
  /** Endpoints besides chat completions that this upstream serves. */
  serves: { embeddings: boolean; responses: boolean }
}

const WireFacts = z.object({ model: z.string().optional(), usage: WireUsage.nullish() })

function readFacts(json: unknown): ResponseFacts & { emptyChoices: boolean } {
  const parsed = WireFacts.safeParse(json)
  const choices = (json as { choices?: unknown } | null)?.choices
  if (!parsed.success) return { usage: null, model: null, emptyChoices: false }
  return { usage: usageOf(parsed.data.usage), model: parsed.data.model ?? null, emptyChoices: Array.isArray(choices) && choices.length === 0 }
}

const NOTHING_DEGRADED: readonly string[] = []
const DONE = Buffer.from('[DONE]')
const USAGE_KEY = Buffer.from('"usage"')
const ERROR_KEY = Buffer.from('"error"')
const DATA_FIELD = Buffer.from('data:')
const DONE_FACTS: StreamEventFacts = { done: true, usageOnly: false }
const CONTINUE: StreamEventFacts = { done: false, usageOnly: false }
/** How far from an event's end OpenAI's `"usage":…` member sits (it is the chunk's last member). */
const USAGE_TAIL = 96

function isSpace(byte: number | undefined): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09
}

function matchesAt(raw: Buffer, at: number, bytes: Buffer): boolean {
  if (at < 0 || at + bytes.length > raw.length) return false
  for (let i = 0; i < bytes.length; i++) if (raw[at + i] !== bytes[i]) return false
  return true
}

/** Where the value of the `"usage"` key at `at` starts, or -1 when no `:` follows the key. */
function usageValueAt(raw: Buffer, at: number): number {
  let i = at + USAGE_KEY.length
  while (isSpace(raw[i])) i++
  if (raw[i] !== 0x3a) return -1
  i++
  while (isSpace(raw[i])) i++
  return i
}

/** Whether `null` at `at` is followed by the object's closing brace and then nothing but the event's end. */
function closesEvent(raw: Buffer, at: number): boolean {
  let i = at + 4
  while (isSpace(raw[i])) i++
  if (raw[i] !== 0x7d /* } */) return false
  for (i++; i < raw.length; i++) if (!isSpace(raw[i])) return false
  return true
}

/**
 * Whether an event's bytes may hold a non-null `usage` (OpenAI sends `"usage":null` on every
 * chunk when usage is asked for, and the usage object once, at the end). Byte checks, so the
 * deltas in between are never decoded; a false "may" only costs a parse. OpenAI puts `usage`
 * last: a `"usage": null` that closes the chunk is the top-level member (the one JSON.parse
 * keeps), and nothing else needs looking at. Anything else searches the whole event.
 */
function mayCarryUsage(raw: Buffer): boolean {
  const tailStart = Math.max(0, raw.length - USAGE_TAIL)
  for (let at = raw.length - USAGE_KEY.length; at >= tailStart; at--) {
    if (raw[at] !== 0x22 || !matchesAt(raw, at, USAGE_KEY)) continue
    const value = usageValueAt(raw, at)
    if (value !== -1 && raw[value] === 0x6e /* n(ull) */ && closesEvent(raw, value)) return false
    break
  }
  for (let at = raw.indexOf(USAGE_KEY); at !== -1; at = raw.indexOf(USAGE_KEY, at + USAGE_KEY.length)) {
    const value = usageValueAt(raw, at)
    if (value !== -1 && raw[value] !== 0x6e) return true
  }
  return false
}

/**
 * Whether the event's data opens as `{"error":` (whitespace allowed): an in-band error chunk,
 * which OpenAI and Azure send inside an HTTP 200 stream. Looks at the data's first bytes only.
 */
function opensAsError(raw: Buffer): boolean {
  let i = matchesAt(raw, 0, DATA_FIELD) ? DATA_FIELD.length : raw.indexOf(DATA_FIELD)
  if (i === -1) return false
  if (i !== DATA_FIELD.length) i += DATA_FIELD.length
  while (isSpace(raw[i])) i++
  if (raw[i] !== 0x7b /* { */) return false
  i++
  while (isSpace(raw[i])) i++
  if (!matchesAt(raw, i, ERROR_KEY)) return false
  i += ERROR_KEY.length
  while (isSpace(raw[i])) i++
  return raw[i] === 0x3a /* : */
}

function errorStatusOf(json: unknown): number | undefined {
  const error = (json as { error?: unknown } | null)?.error
  if (typeof error !== 'object' || error === null) return undefined
  return errorFromOpenAI(500, { error }).status
}

export function createChatStreamReader(): StreamReader {
  const reader: StreamReader = {
    usage: null,
    model: null,
    read(event) {
      const raw = event.raw
      if (raw.length <= 32 && raw.indexOf(DONE) !== -1 && event.data === '[DONE]') return DONE_FACTS
      // Parse only what can matter: the first chunk (model), chunks carrying usage, errors.
      const usage = mayCarryUsage(raw)
      const mayBeError = opensAsError(raw)
      if (reader.model !== null && !usage && !mayBeError) return CONTINUE
      let json: unknown
      try {
        json = JSON.parse(event.data ?? '')
      } catch {
        return CONTINUE
      }
      const errorStatus = mayBeError ? errorStatusOf(json) : undefined
      if (errorStatus !== undefined) return { done: false, usageOnly: false, errorStatus }
      const facts = readFacts(json)
      reader.model ??= facts.model
      if (facts.usage) reader.usage = facts.usage
      return facts.usage !== null && facts.emptyChoices ? { done: false, usageOnly: true } : CONTINUE
    },
  }
  return reader
}

function readResponse(json: unknown): ResponseFacts {
  const { usage, model } = readFacts(json)
  return { usage, model }
}

export function createOpenAIFamilyAdapter(spec: OpenAIFamilySpec): ProviderAdapter {
  // Per connection, not per request: the auth header strings only change with a new snapshot.
  const auth = new WeakMap<RuntimeProvider, Record<string, string>>()
  const authOf = (provider: RuntimeProvider) => {
    let headers = auth.get(provider)
    if (!headers) auth.set(provider, (headers = spec.authHeaders(provider)))
    return headers
  }
  const request = (provider: RuntimeProvider, operation: OpenAIOperation, upstreamModel: string, stream: boolean, accept: string | undefined, body: string | Buffer, degraded: readonly string[]) => {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: accept ?? (stream ? 'text/event-stream' : 'application/json') }
    const credentials = authOf(provider)
    for (const name in credentials) headers[name] = credentials[name] as string
    return { url: spec.url(provider, operation, upstreamModel), method: 'POST' as const, headers, body, degraded }
  }
  /** The client's body for this server: spliced when its quirks change nothing, else the adapted copy. */
  const bodyFor = (input: ChatRequestInput, members: Record<string, unknown> | undefined) => {
    const quirks = spec.quirks(input.provider)
    if (quirks !== NO_QUIRKS) {
      const adapted = applyQuirks({ ...input.body, ...members, model: input.upstreamModel }, quirks)
      if (adapted.degraded.length > 0) return { body: JSON.stringify(adapted.body), degraded: adapted.degraded }
    }
    return { body: passthroughBody(input, members), degraded: NOTHING_DEGRADED }
  }
  const passthrough = (operation: OpenAIOperation) => (input: ChatRequestInput) => {
    const { body, degraded } = bodyFor(input, undefined)
    return request(input.provider, operation, input.upstreamModel, input.stream, input.accept, body, degraded)
  }

  const adapter: ProviderAdapter = {
    wire: 'openai',
    requestIdHeader: 'x-request-id',
    errorKinds: openaiErrorKinds,
    buildChatRequest(input) {
      let members: Record<string, unknown> | undefined
      if (input.stream && !input.clientWantsUsage && spec.quirks(input.provider).streamOptions) {
        const streamOptions = typeof input.body.stream_options === 'object' && input.body.stream_options !== null ? input.body.stream_options : {}
        members = { stream_options: { ...streamOptions, include_usage: true } }
      }
      const { body, degraded } = bodyFor(input, members)
      return request(input.provider, 'chat', input.upstreamModel, input.stream, input.accept, body, degraded)
    },
    readResponse,
    createStreamReader: createChatStreamReader,
    translator: {
      toUpstream({ provider, request: canonical, upstreamModel }) {
        const maxTokensField = spec.quirks(provider).maxTokensField
        const { body, degraded } = toOpenAIBody(canonical, { upstreamModel, providerType: provider.type, maxTokensField })
        const adapted = applyQuirks(body, spec.quirks(provider))
        const built = request(provider, 'chat', upstreamModel, canonical.stream, undefined, JSON.stringify(adapted.body), adapted.degraded)
        return { request: built, degraded: [...new Set([...degraded, ...built.degraded])] }
      },
      fromUpstream: completionFromOpenAI,
      createStreamDecoder: () => new OpenAIStreamDecoder(),
      errorFromUpstream: errorFromOpenAI,
    },
  }
  if (spec.serves.embeddings) adapter.embeddings = { buildRequest: passthrough('embeddings'), readResponse } satisfies EndpointCapability
  if (spec.serves.responses) {
    adapter.responses = { buildRequest: passthrough('responses'), readResponse: readResponsesBody, createStreamReader: createResponsesStreamReader } satisfies EndpointCapability
  }
  return adapter
}
