import type { Usage } from '@switchyard/shared/events'
import type { ProviderAdapter, Dialect } from '../providers/types.ts'
import type { RuntimeConfig, RuntimeKey, RuntimeProvider } from '../runtime/compile.ts'
import type { UpstreamClient, UpstreamResponse } from '../upstream/client.ts'
import type { ErrorCode } from '../errors.ts'
import type { CanonicalChatRequest } from '../dialects/canonical.ts'
import type { ClientDialect } from '../dialects/types.ts'

// What one request accumulates on its way through the pipeline (see pipeline/index.ts for
// which stage fills what). Created by the route, read by the relays, the response-headers
// plugin, the error handler and the meter.

export interface Target {
  provider: RuntimeProvider
  adapter: ProviderAdapter
  upstreamModel: string
}

export interface UpstreamExchange {
  response: UpstreamResponse
  /** performance.now() when the request was handed to undici, and when its headers arrived. */
  sentAt: number
  headersAt: number
  /** When the body was fully read (JSON) — null for streams until they end. */
  doneAt: number | null
  upstreamRequestId: string | null
}

/** A request across API families: the client's dialect and its body in canonical form. */
export interface Translation {
  client: ClientDialect
  request: CanonicalChatRequest
}

export interface Outcome {
  usage: Usage | null
  /** The model the provider reported. */
  model: string | null
  ttftMs: number | null
  /** Set for gateway-made errors and for relayed upstream errors. */
  errorCode: ErrorCode | null
  /** Streams decide their own outcome; others are judged from the response status. */
  stream: { result: 'success' | 'incomplete' | 'client_cancelled' } | null
}

export interface RequestContext {
  requestId: string
  endpoint: string
  dialect: Dialect
  createdAt: Date
  startedAt: number
  /** Read once per request: the whole request sees one snapshot version. */
  runtime: RuntimeConfig | null
  authorization: string | undefined
  /** The dialect's own key header (Anthropic's `x-api-key`), when the route has one. */
  apiKey: string | undefined
  accept: string | undefined
  /** The client headers the route forwards to the adapter (lower-case names). */
  clientHeaders: Readonly<Record<string, string>>
  rawBody: Buffer | undefined
  /** Aborted when the client goes away. */
  signal: AbortSignal
  upstreamClient: UpstreamClient

  // 1. authenticate
  key: RuntimeKey | null
  // 2. parse-body
  body: Record<string, unknown> | null
  requestedModel: string | null
  stream: boolean
  clientWantsUsage: boolean
  // 4. resolve-target
  target: Target | null
  // 5. translate (only when the target speaks the other API family)
  translation: Translation | null
  /** What translation dropped, named in `x-switchyard-degraded` (never silently). */
  degraded: string[]
  // 6. execute
  upstream: UpstreamExchange | null

  outcome: Outcome
}

export function createContext(init: {
  requestId: string
  endpoint: string
  dialect: Dialect
  runtime: RuntimeConfig | null
  authorization: string | undefined
  apiKey: string | undefined
  accept: string | undefined
  clientHeaders: Readonly<Record<string, string>>
  rawBody: Buffer | undefined
  signal: AbortSignal
  upstreamClient: UpstreamClient
}): RequestContext {
  return {
    ...init,
    createdAt: new Date(),
    startedAt: performance.now(),
    key: null,
    body: null,
    requestedModel: null,
    stream: false,
    clientWantsUsage: false,
    target: null,
    translation: null,
    degraded: [],
    upstream: null,
    outcome: { usage: null, model: null, ttftMs: null, errorCode: null, stream: null },
  }
}
