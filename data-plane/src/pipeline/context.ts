import type { RequestLogEvent, Usage } from '@switchyard/shared/events'
import type { ProviderAdapter, Dialect } from '../providers/types.ts'
import type { RuntimeConfig, RuntimeKey, RuntimeProvider } from '../runtime/compile.ts'
import type { UpstreamClient, UpstreamResponse } from '../upstream/client.ts'
import { Cancellation } from '../upstream/cancellation.ts'
import type { ErrorCode } from '../errors.ts'
import type { CanonicalChatRequest } from '../dialects/canonical.ts'
import type { ClientDialect } from '../dialects/types.ts'
import type { StreamedText } from '../relay/streamed-text.ts'
import type { KeepAlive } from '../relay/keep-alive.ts'
import type { AttemptRecord } from '../plan/attempt-record.ts'
import type { Plan, Served } from '../plan/types.ts'
import type { EndpointOperation } from './operation.ts'

// What one request accumulates on its way through the pipeline (see pipeline/index.ts for
// which stage fills what). Created by the route, read by the relays, the response-headers
// plugin, the error handler and the stages' after-halves.

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
  /** What a started stream sent its client: metered when it ends before the provider's usage (pipeline/estimate-usage.ts). */
  streamed: StreamedText | null
}

export interface RequestInit {
  requestId: string
  endpoint: string
  operation: EndpointOperation
  dialect: Dialect
  runtime: RuntimeConfig | null
  authorization: string | undefined
  apiKey: string | undefined
  accept: string | undefined
  clientHeaders: Readonly<Record<string, string>>
  rawBody: Buffer | undefined
  upstreamClient: UpstreamClient
  /** Where the meter's log event goes (the LogEmitter). */
  emitLog: (event: RequestLogEvent) => void
  /** Reports a failure nobody awaits (an after-half that threw): the server's log. */
  reportError: (err: unknown, message: string) => void
  /** The URL's query (the models listing's paging). */
  query?: unknown
  /** Switchyard gateways the request has already passed (the inbound hop header; default 0). */
  hops?: number
}

/** A class (not an object literal per request): one shape for every request, fields filled in place. */
export class RequestContext {
  readonly requestId: string
  readonly endpoint: string
  readonly operation: EndpointOperation
  readonly dialect: Dialect
  /** Date.now() and performance.now() at the start: the log's timestamp, and every duration's origin. */
  readonly createdAtMs = Date.now()
  readonly startedAt = performance.now()
  /** Read once per request: the whole request sees one snapshot version. */
  readonly runtime: RuntimeConfig | null
  readonly authorization: string | undefined
  /** The dialect's own key header (Anthropic's `x-api-key`), when the route has one. */
  readonly apiKey: string | undefined
  readonly accept: string | undefined
  /** The client headers the route forwards to the adapter (lower-case names). */
  readonly clientHeaders: Readonly<Record<string, string>>
  /** Set by the route once the body has been read, which is after authenticate (routes/gateway-endpoint.ts). */
  rawBody: Buffer | undefined
  /** Switchyard gateways passed before this one (pipeline/check-hops.ts); upstream requests carry one more. */
  readonly hops: number
  /** Cancelled when the client goes away: upstream exchanges registered with it are aborted. */
  readonly cancellation = new Cancellation()
  readonly upstreamClient: UpstreamClient
  readonly emitLog: (event: RequestLogEvent) => void
  readonly reportError: (err: unknown, message: string) => void
  readonly query: unknown
  /** How many stages of the list have started (pipeline/index.ts): their after-halves run at finish. */
  stagesEntered = 0
  /** finish() ran (pipeline/index.ts): it runs once per request. */
  finished = false

  // 1. authenticate
  key: RuntimeKey | null = null
  // 2. parse-body
  body: Record<string, unknown> | null = null
  requestedModel: string | null = null
  stream = false
  clientWantsUsage = false
  // 4. plan
  plan: Plan | null = null
  // 5. execute (the executor: plan/executor.ts), per attempt; these name the attempt serving the answer
  attempts: AttemptRecord[] = []
  /** The target of the attempt serving the answer (the first choice until one was attempted). */
  target: Target | null = null
  /** Set when that target speaks the other API family (or the endpoint's own API). */
  translation: Translation | null = null
  /** What translation dropped, named in `x-switchyard-degraded` (never silently). */
  degraded: string[] = []
  /** A request was handed to the upstream client (it may be billed, whatever comes back). */
  dispatched = false
  upstream: UpstreamExchange | null = null
  /** What the executor hands the route to answer with. */
  served: Served | null = null
  /** SSE keep-alive comments while a stream waits for its first content (relay/keep-alive.ts); set by the route. */
  keepAlive: KeepAlive | null = null

  outcome: Outcome = { usage: null, model: null, ttftMs: null, errorCode: null, stream: null, streamed: null }

  constructor(init: RequestInit) {
    this.requestId = init.requestId
    this.endpoint = init.endpoint
    this.operation = init.operation
    this.dialect = init.dialect
    this.runtime = init.runtime
    this.authorization = init.authorization
    this.apiKey = init.apiKey
    this.accept = init.accept
    this.clientHeaders = init.clientHeaders
    this.rawBody = init.rawBody
    this.hops = init.hops ?? 0
    this.upstreamClient = init.upstreamClient
    this.emitLog = init.emitLog
    this.reportError = init.reportError
    this.query = init.query
  }

  /** The attempt serving the answer: the last one started. */
  get attempt(): AttemptRecord | null {
    return this.attempts.at(-1) ?? null
  }
}
