import { z } from 'zod'

// The shared state the routing strategies of issue #12 read and write: circuit breakers, latency
// (EWMA + p90 TTFT) and the retry budget. Decisions read a per-replica local view synchronously;
// a RoutingStore (Redis, or its in-memory twin) is synced asynchronously, so a routing decision
// never waits on Redis and keeps working on local state when Redis is away.

const ms = z.number().int().positive().max(24 * 3600_000)
const fraction = z.number().min(0).max(1)

export const BreakerConfigSchema = z.object({
  /** Consecutive failures (per replica) that eject a target (G-REL-15: 5). */
  failureThreshold: z.number().int().min(1).max(1000).default(5),
  /** The first cool-down; each repeat opening doubles it (G-REL-15: 30 s × n). */
  baseCooldownMs: ms.default(30_000),
  /** Cap of the doubling (G-REL-15: 5 min). */
  maxCooldownMs: ms.default(300_000),
  /** A probe neither recorded nor abandoned frees the slot after this (a crashed replica). */
  probeTimeoutMs: ms.default(30_000),
  /** Closed this long without a new ejection, the doubling starts again from the base. */
  resetAfterMs: ms.default(600_000),
  /** Share of a group that may be ejected at once (G-REL-15: ≤ 50 %, at least 1). */
  maxEjectedFraction: fraction.default(0.5),
  /**
   * 'double': a failed probe re-opens for twice the cool-down (issue #12). 'same': it re-opens
   * for the same one and only a new ejection after service doubles it (Envoy's counting), which
   * brings a target back within one cool-down of its recovery (failoverbench S15; see
   * docs/routing-state.md for the arithmetic).
   */
  failedProbeCooldown: z.enum(['double', 'same']).default('double'),
})
export type BreakerConfig = z.input<typeof BreakerConfigSchema>
export type ParsedBreakerConfig = z.output<typeof BreakerConfigSchema>

export const LatencyConfigSchema = z.object({
  /** Weight of a new sample in the per-replica EWMA. */
  alpha: z.number().gt(0).max(1).default(0.2),
  /** Half-life of the p90 sketch and of the sample weight used to merge replicas. */
  halfLifeMs: ms.default(60_000),
  /** Another replica's entry older than this is ignored (it stopped or lost Redis). */
  staleAfterMs: ms.default(60_000),
})
export type LatencyConfig = z.input<typeof LatencyConfigSchema>
export type ParsedLatencyConfig = z.output<typeof LatencyConfigSchema>

export const RetryBudgetConfigSchema = z.object({
  /** Retries may be at most this share of requests over the window (G-REL-14: 20 %). */
  ratio: fraction.default(0.2),
  /** …but this many retries per second are always allowed, across the group (G-REL-14: 3). */
  minPerSecond: z.number().min(0).max(1e6).default(3),
  windowMs: ms.default(10_000),
  bucketMs: ms.default(1000),
})
export type RetryBudgetConfig = z.input<typeof RetryBudgetConfigSchema>
export type ParsedRetryBudgetConfig = z.output<typeof RetryBudgetConfigSchema>

export const BREAKER_STATES = ['closed', 'open', 'half-open'] as const
export type BreakerState = (typeof BREAKER_STATES)[number]

/** One target's breaker as the store holds it (and as the pub/sub channel announces it). */
export const BreakerRecordSchema = z.object({
  state: z.enum(BREAKER_STATES),
  /** Epoch ms the cool-down ends (open) or 0. */
  openUntil: z.number().int().nonnegative(),
  /** Openings since the last reset: the cool-down is base × 2^(openings − 1). */
  openings: z.number().int().nonnegative(),
  /** Bumped by every transition: a replica keeps the highest it has seen. */
  generation: z.number().int().nonnegative(),
  /** Epoch ms of the last close (for resetAfterMs) or 0. */
  closedAt: z.number().int().nonnegative(),
  /** half-open: the replica holding the one probe, and until when it holds it. */
  holder: z.string().max(200),
  probeUntil: z.number().int().nonnegative(),
})
export type BreakerRecord = z.infer<typeof BreakerRecordSchema>

export const CLOSED: BreakerRecord = { state: 'closed', openUntil: 0, openings: 0, generation: 0, closedAt: 0, holder: '', probeUntil: 0 }

/**
 * One breaker transition, applied atomically by the store against its current state:
 * - `open`: eject after the failure threshold, unless that would eject more than the group's
 *   share (the group's other members are read in the same step), or it is already ejected;
 * - `claim`: take the one probe once the cool-down is over (or a previous probe timed out);
 * - `close` / `reopen`: the probe's holder reports success / failure (reopen doubles the cool-down).
 */
export interface BreakerTransition {
  op: 'open' | 'claim' | 'close' | 'reopen'
  targetId: string
  /** The target's group (route targets it falls back among), itself included; used by `open`. */
  group: readonly string[]
  replicaId: string
  now: number
  config: ParsedBreakerConfig
}

export interface BreakerTransitionResult {
  /** False when the store refused (group share reached, not the holder, already claimed…). */
  applied: boolean
  record: BreakerRecord
}

/** One replica's latency for one target, as it flushes it to the store. */
export const ReplicaLatencySchema = z.object({
  replicaId: z.string().min(1).max(200),
  ewmaTtftMs: z.number().nonnegative().nullable(),
  ewmaLatencyMs: z.number().nonnegative().nullable(),
  /** Decayed sample weight as of `at` (what the merge weighs the EWMAs by). */
  weight: z.number().nonnegative(),
  /** Decayed TTFT histogram as of `at` (bucket index → weight). */
  buckets: z.record(z.string(), z.number().nonnegative()),
  at: z.number().int().nonnegative(),
})
export type ReplicaLatency = z.infer<typeof ReplicaLatencySchema>

/** Requests and retries a replica adds to one time bucket of a group's retry budget. */
export interface BudgetDelta {
  bucketStart: number
  requests: number
  retries: number
}

export interface BudgetAddRequest {
  group: string
  replicaId: string
  deltas: readonly BudgetDelta[]
  /** Bucket starts (epoch ms, multiples of bucketMs). */
  sinceBucket: number
  untilBucket: number
  bucketMs: number
  /** Buckets expire after this (≥ the window). */
  ttlMs: number
}

/** A bucket's totals over every replica, after this replica's deltas were added. */
export interface BudgetBucket {
  bucketStart: number
  requests: number
  retries: number
  /** Distinct replicas that counted anything in this bucket. */
  replicas: number
}

/** The asynchronous shared side. Both implementations pass routing.contract.test.ts. */
export interface RoutingStore {
  readonly kind: 'redis' | 'memory'
  transitionBreaker(transition: BreakerTransition): Promise<BreakerTransitionResult>
  readBreakers(targetIds: readonly string[]): Promise<(BreakerRecord | null)[]>
  /** Writes a record as is when the store has none (reconcile after an outage emptied it). */
  seedBreaker(targetId: string, record: BreakerRecord): Promise<BreakerTransitionResult>
  /** Transitions made by any replica, as soon as they happen (at-most-once: also poll). */
  onBreakerChange(listener: (targetId: string, record: BreakerRecord) => void): Promise<() => void>
  writeLatency(entries: readonly { targetId: string; latency: ReplicaLatency }[], ttlMs: number): Promise<void>
  readLatency(targetIds: readonly string[]): Promise<ReplicaLatency[][]>
  /** Adds the deltas and answers the totals of the buckets from `sinceBucket` to `untilBucket`. */
  addBudget(request: BudgetAddRequest): Promise<BudgetBucket[]>
  ping(): Promise<boolean>
  close(): Promise<void>
}

/** What `allow` answers: send traffic, send this one request as the probe, or skip the target. */
export type Admission = 'closed' | 'probe' | 'open'
export type Outcome = 'success' | 'failure'

export interface BreakerStatus {
  targetId: string
  state: BreakerState
  openUntil: number
  openings: number
  consecutiveFailures: number
  /** Failing past the threshold but kept in service because the group's ejection share is used up. */
  ejectionDeferred: boolean
}

export interface LatencyView {
  id: string
  ewmaTtftMs: number | null
  ewmaLatencyMs: number | null
  /** Recent (decayed) sample weight over all replicas. */
  samples: number
  p90TtftMs: number | null
}

export class RoutingInputError extends Error {
  override name = 'RoutingInputError'
}

export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value)
  if (!parsed.success) throw new RoutingInputError(z.prettifyError(parsed.error))
  return parsed.data
}
