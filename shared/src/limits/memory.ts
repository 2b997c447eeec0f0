import {
  type AdmitRequest,
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
  type ParsedAdmitRequest,
  parseOrThrow,
  type RateAdjustment,
  RateAdjustmentSchema,
  type RateState,
  type Reservation,
  ReservationSchema,
  type ReservedBudget,
  type ReserveRequest,
  type ReserveResult,
  type SettleResult,
} from './ports.ts'
import { ExpiringMap } from './expiring-map.ts'
import { alertThreshold, budgetRetryAfter, budgetState, GCRA_EPSILON_MS, reservedBudgets, reserveVia, windowExpiry } from './rules.ts'

// The in-memory twin of redis.ts: the same algorithms (GCRA, leases, reservations) on Maps. One
// JS turn is atomic, so each method is the twin of one Lua script; keep the two in step.

interface BudgetWindow {
  spent: number
  reserved: number
  /** Live reservations (amount) and tombstones of settled/released ones (null), by id. */
  entries: ExpiringMap<number | null>
  alerted: Set<number>
  expiresAt: number | null
}

const SWEEP_EVERY = 1024

interface AdmitFailure {
  subject: string
  kind: 'rate' | 'lease' | 'budget'
  /** Milliseconds to wait; null when waiting cannot tell (the Lua's -1). */
  wait: number | null
  budget?: ReservedBudget
}

/** One kind of subject checked: its states, and the change to make once every subject admits. */
interface Check<S> {
  states: S[]
  apply: () => void
}

export interface MemoryLimitsOptions {
  /** Epoch ms; a test can move time. */
  clock?: () => number
}

class MemoryLimits implements Limits {
  readonly kind = 'memory' as const
  private readonly tats = new Map<string, number>()
  private readonly leases = new Map<string, ExpiringMap<true>>()
  private readonly windows = new Map<string, BudgetWindow>()
  private operations = 0

  constructor(private readonly clock: () => number) {}

  async admit(request: AdmitRequest): Promise<AdmitResult> {
    const parsed = parseOrThrow(AdmitRequestSchema, request)
    const now = this.tick()
    const failures: AdmitFailure[] = []
    // The subject to report is the one to wait longest for (null: waiting cannot tell), as in Lua.
    const worse = (f: AdmitFailure) => {
      const current = failures[0]
      if (!current || (current.wait !== null && (f.wait === null || f.wait > current.wait))) failures[0] = f
    }
    const rates = this.checkRates(parsed.rates, now, worse)
    const leases = this.checkLeases(parsed.leases, now, worse)
    const budgets = this.checkBudgets(parsed.reserve, now, worse)
    const failure = failures[0]
    if (failure) {
      const retryAfterMs = failure.kind === 'budget' ? budgetRetryAfter(failure.budget) : failure.wait
      return { ok: false, subject: failure.subject, kind: failure.kind, retryAfterMs, rates: rates.states, leases: leases.states, budgets: budgets.states }
    }
    rates.apply()
    leases.apply()
    budgets.apply()
    return { ok: true, rates: rates.states, leases: leases.states, budgets: budgets.states, reservation: budgets.reservation }
  }

  private checkRates(rates: ParsedAdmitRequest['rates'], now: number, worse: (f: AdmitFailure) => void): Check<RateState> {
    const newTats: number[] = []
    const states = rates.map((rate) => {
      const T = rate.periodMs / rate.limit
      const tat = Math.max(this.tats.get(rate.key) ?? now, now)
      const newTat = tat + rate.cost * T
      newTats.push(newTat)
      if (rate.cost > rate.limit) worse({ subject: rate.key, kind: 'rate', wait: null })
      else if (newTat - now > rate.periodMs + GCRA_EPSILON_MS) worse({ subject: rate.key, kind: 'rate', wait: Math.ceil(newTat - rate.periodMs - now) })
      return { key: rate.key, limit: rate.limit, remaining: gcraRemaining(now, rate.periodMs, T, tat), resetMs: Math.ceil(tat - now) }
    })
    const apply = () =>
      rates.forEach((rate, i) => {
        const newTat = newTats[i] as number
        if (newTat > now) this.tats.set(rate.key, newTat)
        states[i] = { key: rate.key, limit: rate.limit, remaining: gcraRemaining(now, rate.periodMs, rate.periodMs / rate.limit, newTat), resetMs: Math.ceil(newTat - now) }
      })
    return { states, apply }
  }

  private checkLeases(leases: ParsedAdmitRequest['leases'], now: number, worse: (f: AdmitFailure) => void): Check<LeaseState> {
    const held: boolean[] = []
    const states = leases.map((lease) => {
      const live = this.liveLeases(lease.key, now)
      const mine = live.get(lease.id) !== undefined
      held.push(mine)
      if (!mine && live.size >= lease.limit) worse({ subject: lease.key, kind: 'lease', wait: Math.max(1, Math.ceil(live.earliestExpiry() - now)) })
      return { key: lease.key, limit: lease.limit, remaining: Math.max(0, lease.limit - live.size) }
    })
    const apply = () =>
      leases.forEach((lease, i) => {
        this.liveLeases(lease.key, now).set(lease.id, true, now + lease.ttlMs)
        if (!held[i]) (states[i] as LeaseState).remaining -= 1
      })
    return { states, apply }
  }

  private checkBudgets(reserve: ParsedAdmitRequest['reserve'], now: number, worse: (f: AdmitFailure) => void): Check<BudgetState> & { reservation: Reservation | null } {
    if (!reserve) return { states: [], apply: () => {}, reservation: null }
    const { id, amount, ttlMs } = reserve
    const budgets = reservedBudgets(reserve.budgets, now)
    const windows = budgets.map((budget) => this.window(budget, now))
    const states = budgets.map((budget, i) => {
      const w = windows[i] as BudgetWindow
      if (budget.mode === 'hard' && !w.entries.get(id) && w.spent + w.reserved + amount > budget.limit) worse({ subject: budget.key, kind: 'budget', wait: null, budget })
      return budgetState(budget, w.spent, w.reserved)
    })
    const apply = () =>
      windows.forEach((w, i) => {
        if (!w.entries.get(id)) {
          w.entries.set(id, amount, now + ttlMs)
          w.reserved += amount
        }
        states[i] = budgetState(budgets[i] as ReservedBudget, w.spent, w.reserved)
      })
    return { states, apply, reservation: { id, amount, ttlMs, store: 'memory', budgets } }
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
    const held = live.get(id)
    if (!held) return false
    live.set(id, true, Math.max(held.expiresAt, now + ttlMs))
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
    return reserveVia(this, request)
  }

  async settle(travelled: Reservation, actualCost: number): Promise<SettleResult> {
    const reservation = parseOrThrow(ReservationSchema, travelled)
    const actual = parseOrThrow(CostSchema, actualCost)
    const now = this.tick()
    let applied = false
    const budgets = reservation.budgets.map((budget) => {
      const w = this.window(budget, now)
      const entry = w.entries.get(reservation.id)
      const crossed: number[] = []
      if (!entry || entry.value !== null) {
        applied = true
        if (entry?.value) w.reserved -= entry.value
        // After expiry (no entry) the provider still billed the call: the actual is added all the same.
        w.entries.set(reservation.id, null, entry?.expiresAt ?? now + reservation.ttlMs)
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

  async release(travelled: Reservation): Promise<void> {
    const reservation = parseOrThrow(ReservationSchema, travelled)
    const now = this.tick()
    for (const budget of reservation.budgets) {
      const w = this.window(budget, now)
      const entry = w.entries.get(reservation.id)
      if (entry && entry.value === null) continue
      if (entry?.value) w.reserved -= entry.value
      w.entries.set(reservation.id, null, entry?.expiresAt ?? now + reservation.ttlMs)
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
  private liveLeases(key: string, now: number): ExpiringMap<true> {
    let live = this.leases.get(key)
    if (!live) {
      live = new ExpiringMap()
      this.leases.set(key, live)
    }
    live.prune(now)
    return live
  }

  private window(budget: ReservedBudget, now: number): BudgetWindow {
    const id = `${budget.key}|${budget.windowStart}`
    let w = this.windows.get(id)
    if (!w) {
      w = { spent: 0, reserved: 0, entries: new ExpiringMap(), alerted: new Set(), expiresAt: windowExpiry(budget) }
      this.windows.set(id, w)
    }
    const window = w
    window.entries.prune(now, (amount) => {
      if (amount !== null) window.reserved -= amount
    })
    return w
  }

  /** Drops state nothing can read any more, so a long-running process does not grow without bound. */
  private sweep(now: number): void {
    for (const [key, tat] of this.tats) if (tat <= now) this.tats.delete(key)
    for (const [key, live] of this.leases) {
      live.prune(now)
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
