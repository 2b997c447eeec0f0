import { z } from 'zod'

// The rate-limit, concurrency and budget primitives (issue #13). Each has a Redis
// implementation (exact across replicas) and an in-memory twin (the one-process default and the
// outage fallback); both pass limits.contract.test.ts. Money is integer nano-USD, never floats.

const positiveInt = z.number().int().positive().max(Number.MAX_SAFE_INTEGER)
const nonNegativeInt = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER)
const subjectKey = z.string().min(1).max(512)

/** `limit` units per `periodMs` (GCRA: a full burst of `limit`, then one unit every periodMs/limit). */
export const RateRuleSchema = z.object({ key: subjectKey, periodMs: positiveInt, limit: positiveInt, cost: nonNegativeInt })
/** A self-expiring concurrency slot: `id` is the attempt's id, held until released or `ttlMs` passes. */
export const LeaseRuleSchema = z.object({ key: subjectKey, limit: positiveInt, id: subjectKey, ttlMs: positiveInt })
const distinctKeys = (rules: readonly { key: string }[]) => new Set(rules.map((r) => r.key)).size === rules.length

export type RateRule = z.infer<typeof RateRuleSchema>
export type LeaseRule = z.infer<typeof LeaseRuleSchema>

/** One subject's state after the call: what the `x-ratelimit-*` headers describe. */
export interface RateState {
  key: string
  limit: number
  /** Units that could still be admitted now (after this call's cost when it was admitted). */
  remaining: number
  /** Milliseconds until the subject is back to its full `limit`. */
  resetMs: number
}

export interface LeaseState {
  key: string
  limit: number
  /** Free slots after this call. */
  remaining: number
}

/** A correction of an admitted cost (TPM: estimate → actual); negative refunds, clamped at empty. */
export const RateAdjustmentSchema = z.object({
  key: subjectKey,
  periodMs: positiveInt,
  limit: positiveInt,
  delta: z.number().int().min(-Number.MAX_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER),
})
export type RateAdjustment = z.infer<typeof RateAdjustmentSchema>

export const LeaseRefSchema = z.object({ key: subjectKey, id: subjectKey })
export type LeaseRef = z.infer<typeof LeaseRefSchema>
export const LeaseRenewalSchema = LeaseRefSchema.extend({ ttlMs: positiveInt })
export type LeaseRenewal = z.infer<typeof LeaseRenewalSchema>

export const BUDGET_PERIODS = ['day', 'week', 'month', 'lifetime'] as const
export type BudgetPeriod = (typeof BUDGET_PERIODS)[number]

export const BudgetRuleSchema = z.object({
  key: subjectKey,
  /** nano-USD; up to 9e15 ($9M) stays a safe integer. */
  limit: nonNegativeInt,
  mode: z.enum(['hard', 'soft']).default('hard'),
  period: z.enum(BUDGET_PERIODS),
  /** IANA zone the day/week/month windows are calendar-aligned in (the team's). */
  timeZone: z.string().min(1).default('UTC'),
  /** Fractions of `limit` (e.g. 0.5, 0.8, 1) whose crossing settle reports once per period. */
  alertAt: z.array(z.number().positive().max(10)).max(16).default([]),
})
export type BudgetRule = z.input<typeof BudgetRuleSchema>
export type ParsedBudgetRule = z.output<typeof BudgetRuleSchema>

export const ReserveRequestSchema = z.object({
  /** The call's attempt id: unique per call, the handle settle/release find the reservation by. */
  id: subjectKey,
  /** The call's maximum cost in nano-USD. */
  amount: nonNegativeInt,
  /** A reservation neither settled nor released expires by itself after this (a crashed replica). */
  ttlMs: positiveInt,
  budgets: z.array(BudgetRuleSchema).min(1).max(16).refine(distinctKeys, 'each budget may appear once per reserve'),
})
export type ReserveRequest = z.input<typeof ReserveRequestSchema>

/**
 * One admission for the whole request, in one atomic step: its rates, its concurrency leases and
 * (optionally) its budget reservation. If any subject rejects, nothing is consumed anywhere.
 */
export const AdmitRequestSchema = z
  .object({
    rates: z.array(RateRuleSchema).max(32).default([]),
    leases: z.array(LeaseRuleSchema).max(32).default([]),
    reserve: ReserveRequestSchema.optional(),
  })
  .refine((r) => r.rates.length + r.leases.length > 0 || r.reserve, 'admit needs a rate, a lease or a reservation')
  // The same subject twice in one call would be checked twice against one state and applied once.
  .refine((r) => distinctKeys(r.rates) && distinctKeys(r.leases), 'each subject may appear once per admit')
export type AdmitRequest = z.input<typeof AdmitRequestSchema>
export type ParsedAdmitRequest = z.output<typeof AdmitRequestSchema>


/** One budget window as the reservation holds it: settle and release go to this window. */
export const ReservedBudgetSchema = z.object({
  key: subjectKey,
  limit: nonNegativeInt,
  mode: z.enum(['hard', 'soft']),
  /** Start of the budget window (epoch ms; 0 for lifetime): part of the store's key. */
  windowStart: nonNegativeInt,
  /** End of the window (epoch ms), null for lifetime. */
  windowEnd: nonNegativeInt.nullable(),
  alertAt: z.array(z.number().positive().max(10)).max(16),
})
export type ReservedBudget = z.infer<typeof ReservedBudgetSchema>

/**
 * Plain data, so it can cross an await, a queue or a process: settle/release take it back (and
 * parse it again, since it may have travelled).
 */
export const ReservationSchema = z.object({
  id: subjectKey,
  amount: nonNegativeInt,
  ttlMs: positiveInt,
  /** Which store holds it (the resilient wrapper routes settle/release by it). */
  store: z.enum(['redis', 'memory']),
  budgets: z.array(ReservedBudgetSchema).max(16),
})
export type Reservation = z.infer<typeof ReservationSchema>

export interface BudgetState {
  key: string
  limit: number
  /** Settled spend in this window (nano-USD). */
  spent: number
  /** Live (unexpired, unsettled) reservations in this window (nano-USD). */
  reserved: number
  /** spent + reserved > limit: only possible in soft mode (or after actuals above the estimate). */
  over: boolean
  windowStart: number
  windowEnd: number | null
}

export type AdmitResult =
  | {
      ok: true
      rates: RateState[]
      leases: LeaseState[]
      budgets: BudgetState[]
      /** The reservation to settle or release after the call; null when none was asked for. */
      reservation: Reservation | null
    }
  | {
      ok: false
      /** The rejecting subject's key (the one to wait longest for when several reject). */
      subject: string
      kind: 'rate' | 'lease' | 'budget'
      /**
       * When to try again; null when waiting cannot help: the cost exceeds the limit itself, or
       * a lifetime budget is spent. For a budget, when its window ends.
       */
      retryAfterMs: number | null
      rates: RateState[]
      leases: LeaseState[]
      budgets: BudgetState[]
    }

export type ReserveResult =
  | { ok: true; reservation: Reservation; budgets: BudgetState[] }
  | { ok: false; subject: string; budgets: BudgetState[] }

export interface SettledBudgetState extends BudgetState {
  /** `alertAt` fractions this settle newly crossed: each one is reported once per window. */
  crossed: number[]
}

export interface SettleResult {
  /** False when the reservation had already been settled or released (nothing was added). */
  applied: boolean
  budgets: SettledBudgetState[]
}

export interface Limits {
  readonly kind: 'redis' | 'memory' | 'resilient'
  /**
   * All-or-nothing across every rate, lease and budget, in one round trip: a rejection consumes
   * nothing anywhere. The request path's one call before dispatch.
   */
  admit(request: AdmitRequest): Promise<AdmitResult>
  adjust(adjustment: RateAdjustment): Promise<RateState>
  /** Extends a held lease (a running stream); false when it is gone (expired or released). */
  renewLease(renewal: LeaseRenewal): Promise<boolean>
  /** Idempotent. */
  releaseLease(lease: LeaseRef): Promise<void>
  /** Live (unexpired) leases of a subject. */
  countLeases(key: string): Promise<number>
  /** admit with a reservation only: if one hard budget would go over, nothing is reserved. */
  reserve(request: ReserveRequest): Promise<ReserveResult>
  /**
   * Replaces the reservation by the actual cost. Idempotent while the reservation's id is
   * remembered (until its TTL); after expiry the actual is still added (the provider billed it).
   */
  settle(reservation: Reservation, actualCost: number): Promise<SettleResult>
  /** Drops the reservation without spending (every failure path). Idempotent. */
  release(reservation: Reservation): Promise<void>
  /** The console's live "spend vs limit" for the window containing now. */
  budgetStatus(rule: BudgetRule): Promise<BudgetState>
  ping(): Promise<boolean>
  close(): Promise<void>
}

/** Bad input to a limits call: a caller bug, never a reason to fall back to local limits. */
export class LimitsInputError extends Error {
  override name = 'LimitsInputError'
}

export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value)
  if (!parsed.success) throw new LimitsInputError(z.prettifyError(parsed.error))
  return parsed.data
}

export const CostSchema = nonNegativeInt
