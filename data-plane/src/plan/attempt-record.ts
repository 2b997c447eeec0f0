import type { Usage } from '@switchyard/shared/events'
import type { ErrorCode } from '../errors.ts'
import type { ErrorKind } from '../providers/error-kinds.ts'
import type { Target, UpstreamExchange } from '../pipeline/context.ts'

// One upstream attempt of a request (CONTRACT.md §Routes: the log's `attempts` list). Started by
// the executor when the request is handed to the upstream client; ended once, by whoever saw
// it end: the executor (a send that failed, an opening error event), the relays (a whole answer
// read, a stream over), or the executor's after-half for one still open when the request
// finished (the client left). Times are performance.now() values, like every duration of the
// context.

export type AttemptOutcome = 'success' | 'error' | 'cancelled'

export interface AttemptEnd {
  status?: number | null
  errorKind?: ErrorKind | null
  errorCode?: ErrorCode | null
  usage?: Usage | null
}

export class AttemptRecord {
  readonly startedAt = performance.now()
  firstByteAt: number | null = null
  endedAt: number | null = null
  outcome: AttemptOutcome | null = null
  errorKind: ErrorKind | null = null
  errorCode: ErrorCode | null = null
  status: number | null = null
  usage: Usage | null = null
  exchange: UpstreamExchange | null = null

  constructor(
    readonly target: Target,
    /** Its index among the plan's choices (0 = first choice): `x-switchyard-fallback-index` when it serves. */
    readonly choice: number,
  ) {}

  get ended(): boolean {
    return this.outcome !== null
  }

  /** The first end is the one that counts. */
  end(outcome: AttemptOutcome, end: AttemptEnd = {}): void {
    if (this.outcome !== null) return
    this.outcome = outcome
    this.endedAt = performance.now()
    if (end.status !== undefined) this.status = end.status
    if (end.errorKind !== undefined) this.errorKind = end.errorKind
    if (end.errorCode !== undefined) this.errorCode = end.errorCode
    if (end.usage !== undefined) this.usage = end.usage
  }
}
