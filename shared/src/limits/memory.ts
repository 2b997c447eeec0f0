import {
  AdmitRequestSchema,
  type AdmitResult,
  type BudgetRule,
  BudgetRuleSchema,
  type BudgetState,
  CostSchema,
  type LeaseRef,
  LeaseRefSchema,
  type LeaseRenewal,
  LeaseRenewalSchema,
  type LeaseState,
  type Limits,
  parseOrThrow,
  type RateAdjustment,
  RateAdjustmentSchema,
  type RateState,
  type Reservation,
  type ReservedBudget,
  type ReserveRequest,
  ReserveRequestSchema,
  type ReserveResult,
  type SettleResult,
} from './ports.ts'
import { alertThreshold, budgetState, GCRA_EPSILON_MS, reservedBudgets, windowExpiry } from './rules.ts'

// The in-memory twin of redis.ts: the same algorithms (GCRA, leases, reservations) on Maps. One
// JS turn is atomic, so each method is the twin of one Lua script; keep the two in step.

interface BudgetWindow {
  spent: number
  reserved: number
  /** Live reservations (amount) and tombstones of settled/released ones (null), by id. */
  entries: Map<string, { amount: number | null; expiresAt: number }>
  alerted: Set<number>
  expiresAt: number | null
}

const SWEEP_EVERY = 1024

interface AdmitFailure {
  subject: string
  kind: 'rate' | 'lease'
  retryAfterMs: number | null
}

export interface MemoryLimitsOptions {
  /** Epoch ms; a test can move time. */
  clock?: () => number
}

class MemoryLimits implements Limits {
  readonly kind = 'memory' as const
  private readonly tats = new Map<string, number>()
  private readonly leases = new Map<string, Map<string, number>>()
  private readonly windows = new Map<string, BudgetWindow>()
  private operations = 0

  constructor(private readonly clock: () => number) {}

  async admit(request: Parameters<Limits['admit']>[0]): Promise<AdmitResult> {
    const { rates, leases } = parseOrThrow(AdmitRequestSchema, request)
    const now = this.tick()
    // The subject to report is the one to wait longest for (null: never fits).
    const failures: AdmitFailure[] = []
    const worse = (f: AdmitFailure) => {
      const current = failures[0]
      if (!current || (current.retryAfterMs !== null && (f.retryAfterMs === null || f.retryAfterMs > current.retryAfterMs))) failures[0] = f
    }
    const rateStates: RateState[] = []
    const newTats: number[] = []
    for (const rate of rates) {
      const T = rate.periodMs / rate.limit
      const tat = Math.max(this.tats.get(rate.key) ?? now, now)
      const newTat = tat + rate.cost * T
      newTats.push(newTat)
      if (rate.cost > rate.limit) worse({ subject: rate.key, kind: 'rate', retryAfterMs: null })
      else if (newTat - now > rate.periodMs + GCRA_EPSILON_MS) worse({ subject: rate.key, kind: 'rate', retryAfterMs: Math.ceil(newTat - rate.periodMs - now) })
      rateStates.push({ key: rate.key, limit: rate.limit, remaining: gcraRemaining(now, rate.periodMs, T, tat), resetMs: Math.ceil(tat - now) })
    }
    const leaseStates: LeaseState[] = []
    const held: boolean[] = []
    for (const lease of leases) {
      const live = this.liveLeases(lease.key, now)
      const mine = live.has(lease.id)
      held.push(mine)
      if (!mine && live.size >= lease.limit) worse({ subject: lease.key, kind: 'lease', retryAfterMs: Math.max(1, Math.ceil(Math.min(...live.values()) - now)) })
      leaseStates.push({ key: lease.key, limit: lease.limit, remaining: Math.max(0, lease.limit - live.size) })
    }
    const failure = failures[0]
    if (failure) return { ok: false, ...failure, rates: rateStates, leases: leaseStates }
    rates.forEach((rate, i) => {
      const newTat = newTats[i] as number
      if (newTat > now) this.tats.set(rate.key, newTat)
      rateStates[i] = { ...(rateStates[i] as RateState), remaining: gcraRemaining(now, rate.periodMs, rate.periodMs / rate.limit, newTat), resetMs: Math.ceil(newTat - now) }
    })
    leases.forEach((lease, i) => {
      const live = this.liveLeases(lease.key, now)
      live.set(lease.id, now + lease.ttlMs)
      if (!held[i]) (leaseStates[i] as LeaseState).remaining -= 1
    })
    return { ok: true, rates: rateStates, leases: leaseStates }
  }

  async adjust(adjustment: RateAdjustment): Promise<RateState> {
    const { key, periodMs, limit, delta } = parseOrThrow(RateAdjustmentSchema, adjustment)
    const now = this.tick()
    const T = periodMs / limit
    const newTat = Math.max(Math.max(this.tats.get(key) ?? now, now) + delta * T, now)
    if (newTat > now) this.tats.set(key, newTat)
    else this.tats.delete(key)
    return { key, limit, remaining: gcraRemaining(now, periodMs, T, newTat), resetMs: Math.ceil(newTat - now) }
  }

  async renewLease(renewal: LeaseRenewal): Promise<boolean> {
    const { key, id, ttlMs } = parseOrThrow(LeaseRenewalSchema, renewal)
    const now = this.tick()
    const live = this.liveLeases(key, now)
    if (!live.has(id)) return false
    live.set(id, Math.max(live.get(id) ?? 0, now + ttlMs))
    return true
  }

  async releaseLease(lease: LeaseRef): Promise<void> {
    const { key, id } = parseOrThrow(LeaseRefSchema, lease)
    this.leases.get(key)?.delete(id)
  }

  async countLeases(key: string): Promise<number> {
    return this.liveLeases(key, this.clock()).size
  }

  async reserve(request: ReserveRequest): Promise<ReserveResult> {
    const { id, amount, ttlMs, budgets: rules } = parseOrThrow(ReserveRequestSchema, request)
    const now = this.tick()
    const budgets = reservedBudgets(rules, now)
    const windows = budgets.map((budget) => this.window(budget, now))
    const states = budgets.map((budget, i) => budgetState(budget, (windows[i] as BudgetWindow).spent, (windows[i] as BudgetWindow).reserved))
    const failing = budgets.findIndex((budget, i) => {
      const w = windows[i] as BudgetWindow
      return budget.mode === 'hard' && !w.entries.has(id) && w.spent + w.reserved + amount > budget.limit
    })
    if (failing >= 0) return { ok: false, subject: (budgets[failing] as ReservedBudget).key, budgets: states }
    windows.forEach((w, i) => {
      if (!w.entries.has(id)) {
        w.entries.set(id, { amount, expiresAt: now + ttlMs })
        w.reserved += amount
      }
      states[i] = budgetState(budgets[i] as ReservedBudget, w.spent, w.reserved)
    })
    return { ok: true, reservation: { id, amount, ttlMs, store: 'memory', budgets }, budgets: states }
  }

  async settle(reservation: Reservation, actualCost: number): Promise<SettleResult> {
    const actual = parseOrThrow(CostSchema, actualCost)
    const now = this.tick()
    let applied = false
    const budgets = reservation.budgets.map((budget) => {
      const w = this.window(budget, now)
      const entry = w.entries.get(reservation.id)
      const crossed: number[] = []
      if (entry?.amount !== null) {
        applied = true
        if (entry) w.reserved -= entry.amount
        // After expiry (no entry) the provider still billed the call: the actual is added all the same.
        w.entries.set(reservation.id, { amount: null, expiresAt: entry?.expiresAt ?? now + reservation.ttlMs })
        w.spent += actual
        for (const fraction of budget.alertAt) {
          if (!w.alerted.has(fraction) && w.spent >= alertThreshold(fraction, budget.limit)) {
            w.alerted.add(fraction)
            crossed.push(fraction)
          }
        }
      }
      return { ...budgetState(budget, w.spent, w.reserved), crossed }
    })
    return { applied, budgets }
  }

  async release(reservation: Reservation): Promise<void> {
    const now = this.tick()
    for (const budget of reservation.budgets) {
      const w = this.window(budget, now)
      const entry = w.entries.get(reservation.id)
      if (entry?.amount === null) continue
      if (entry) w.reserved -= entry.amount
      w.entries.set(reservation.id, { amount: null, expiresAt: entry?.expiresAt ?? now + reservation.ttlMs })
    }
  }

  async budgetStatus(rule: BudgetRule): Promise<BudgetState> {
    const now = this.clock()
    const [budget] = reservedBudgets([parseOrThrow(BudgetRuleSchema, rule)], now) as [ReservedBudget]
    const w = this.window(budget, now)
    return budgetState(budget, w.spent, w.reserved)
  }

  async ping(): Promise<boolean> {
    return true
  }

  async close(): Promise<void> {}

  private tick(): number {
    if (++this.operations % SWEEP_EVERY === 0) this.sweep(this.clock())
    return this.clock()
  }

  /** The subject's unexpired leases, expired ones pruned (the twin of ZREMRANGEBYSCORE). */
  private liveLeases(key: string, now: number): Map<string, number> {
    let live = this.leases.get(key)
    if (!live) {
      live = new Map()
      this.leases.set(key, live)
    }
    for (const [id, expiresAt] of live) if (expiresAt <= now) live.delete(id)
    return live
  }

  private window(budget: ReservedBudget, now: number): BudgetWindow {
    const id = `${budget.key}|${budget.windowStart}`
    let w = this.windows.get(id)
    if (!w) {
      w = { spent: 0, reserved: 0, entries: new Map(), alerted: new Set(), expiresAt: windowExpiry(budget) }
      this.windows.set(id, w)
    }
    for (const [entryId, entry] of w.entries) {
      if (entry.expiresAt > now) continue
      if (entry.amount !== null) w.reserved -= entry.amount
      w.entries.delete(entryId)
    }
    return w
  }

  /** Drops state nothing can read any more, so a long-running process does not grow without bound. */
  private sweep(now: number): void {
    for (const [key, tat] of this.tats) if (tat <= now) this.tats.delete(key)
    for (const [key, live] of this.leases) {
      for (const [id, expiresAt] of live) if (expiresAt <= now) live.delete(id)
      if (live.size === 0) this.leases.delete(key)
    }
    for (const [id, w] of this.windows) if (w.expiresAt !== null && w.expiresAt <= now) this.windows.delete(id)
  }
}

/** Units admissible now for a GCRA subject whose theoretical arrival time is `tat`. */
export function gcraRemaining(now: number, periodMs: number, T: number, tat: number): number {
  return Math.max(0, Math.floor((now + periodMs - Math.max(tat, now)) / T + 1e-9))
}

export function createMemoryLimits(options: MemoryLimitsOptions = {}): Limits {
  return new MemoryLimits(options.clock ?? Date.now)
}
