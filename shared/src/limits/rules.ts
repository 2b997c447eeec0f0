import { createPeriodWindows } from './period.ts'
import type { BudgetState, Limits, ParsedBudgetRule, RateState, ReservedBudget, ReserveRequest, ReserveResult } from './ports.ts'

// What both stores compute the same way, outside their atomic step.

/** How long a window's state outlives its end: a call that straddles midnight still settles into its own window. */
export const WINDOW_GRACE_MS = 2 * 86_400_000
/** Float slack of a GCRA comparison (ms): TATs are epoch-ms doubles, periodMs/limit rarely exact. */
export const GCRA_EPSILON_MS = 0.01

const windows = createPeriodWindows()

export function reservedBudgets(rules: readonly ParsedBudgetRule[], now: number): ReservedBudget[] {
  return rules.map((rule) => {
    const window = windows(rule.period, rule.timeZone, now)
    return { key: rule.key, limit: rule.limit, mode: rule.mode, windowStart: window.start, windowEnd: window.end, alertAt: [...rule.alertAt] }
  })
}

/** The spend (nano-USD) at which `fraction` of `limit` is reached, rounded so 0.8 × $1 is exactly 800000000. */
export function alertThreshold(fraction: number, limit: number): number {
  return Math.ceil(Number((fraction * limit).toPrecision(15)))
}

export function budgetState(budget: ReservedBudget, spent: number, reserved: number): BudgetState {
  return {
    key: budget.key,
    limit: budget.limit,
    spent,
    reserved,
    over: spent + reserved > budget.limit,
    windowStart: budget.windowStart,
    windowEnd: budget.windowEnd,
  }
}

/** Expiry (epoch ms) of a window's stored state; null keeps it (lifetime). */
export function windowExpiry(budget: ReservedBudget): number | null {
  return budget.windowEnd === null ? null : budget.windowEnd + WINDOW_GRACE_MS
}

/**
 * The subject a response's `x-ratelimit-*` headers should describe: the one closest to
 * rejecting (fewest remaining as a share of its limit), per CONTRACT.md.
 */
export function tightest(states: readonly RateState[]): RateState | null {
  let best: RateState | null = null
  for (const state of states) {
    if (!best || state.remaining / state.limit < best.remaining / best.limit) best = state
  }
  return best
}

/** A hard budget rejects until its window ends; a lifetime one for good (null). */
export function budgetRetryAfter(budget: ReservedBudget | undefined): number | null {
  return budget?.windowEnd ? Math.max(1, budget.windowEnd - Date.now()) : null
}

/** reserve() is admit() with a reservation only: one script, one set of semantics. */
export async function reserveVia(limits: Pick<Limits, 'admit'>, request: ReserveRequest): Promise<ReserveResult> {
  const result = await limits.admit({ reserve: request })
  if (!result.ok) return { ok: false, subject: result.subject, budgets: result.budgets }
  if (!result.reservation) throw new Error('admit answered a reservation request without a reservation')
  return { ok: true, reservation: result.reservation, budgets: result.budgets }
}
