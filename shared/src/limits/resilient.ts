import {
  type AdmitRequest,
  AdmitRequestSchema,
  type AdmitResult,
  type BudgetRule,
  BudgetRuleSchema,
  type BudgetState,
  type LeaseRef,
  type LeaseRenewal,
  type Limits,
  LimitsInputError,
  type ParsedAdmitRequest,
  parseOrThrow,
  type RateAdjustment,
  type RateState,
  type Reservation,
  type ReservedBudget,
  type ReserveRequest,
  type ReserveResult,
  type SettleResult,
} from './ports.ts'
import { OutageLedger, windowId } from './outage-ledger.ts'
import { budgetState, reservedBudgets, reserveVia } from './rules.ts'

// Redis unreachable → never unlimited, never an outage (G-REL-05, G-REL-19, G-BUD-04): rates and
// leases fall back to this replica's share (limit ÷ replicas) in the memory twin; budgets to a
// conservative local allowance: min(last-known remaining, fraction × limit) ÷ replicas, then closed.
// Spend settled meanwhile is replayed into Redis when it answers again.

export interface ResilientLimitsOptions {
  /** The replica count the snapshot declares. */
  replicas: number
  /** Share of a budget's limit all replicas together may spend while Redis is away (G-BUD-04: ≤ 5 %). */
  budgetAllowanceFraction?: number
  /** How often, while degraded, to ask Redis whether it is back. */
  probeIntervalMs?: number
}

export interface ResilientLimits extends Limits {
  /** True while calls are served by local limits (for /readyz details). */
  readonly degraded: boolean
}

const DEGRADED_SUFFIX = /#degraded-\d+$/
const LAST_KNOWN_MAX = 100_000

class ResilientLimitsImpl implements ResilientLimits {
  readonly kind = 'resilient' as const
  private degradedSince: number | null = null
  private episode = 0
  private lastProbe = 0
  private probing: Promise<void> | null = null
  /** limit − spent − reserved per budget window, as Redis last answered. */
  private readonly lastKnown = new Map<string, number>()
  private readonly ledger = new OutageLedger()
  /** The shared budget windows of reservations made locally, by id, for the replay into Redis. */
  private readonly localOrigins = new Map<string, ReservedBudget[]>()
  private readonly allowance: number
  private readonly probeIntervalMs: number

  constructor(
    private readonly shared: Limits,
    private readonly local: Limits,
    private readonly options: ResilientLimitsOptions,
  ) {
    if (!Number.isInteger(options.replicas) || options.replicas < 1) throw new LimitsInputError('replicas must be a positive integer')
    this.allowance = Math.min(Math.max(options.budgetAllowanceFraction ?? 0.05, 0), 1)
    this.probeIntervalMs = options.probeIntervalMs ?? 1000
  }

  get degraded(): boolean {
    return this.degradedSince !== null
  }

  async admit(request: AdmitRequest): Promise<AdmitResult> {
    const parsed = parseOrThrow(AdmitRequestSchema, request)
    return this.run(
      async () => {
        const result = await this.shared.admit(parsed)
        this.remember(result.budgets)
        return result
      },
      () => this.admitLocally(parsed),
    )
  }

  private async admitLocally(parsed: ParsedAdmitRequest): Promise<AdmitResult> {
    const reserve = parsed.reserve
    const windows = reserve ? reservedBudgets(reserve.budgets, Date.now()) : []
    const result = await this.local.admit({
      rates: parsed.rates.map((r) => ({ ...r, limit: this.share(r.limit) })),
      leases: parsed.leases.map((l) => ({ ...l, limit: this.share(l.limit) })),
      reserve: reserve && {
        ...reserve,
        budgets: reserve.budgets.map((rule, i) => ({ ...rule, key: this.localKey(rule.key), limit: this.localAllowance(windows[i] as ReservedBudget) })),
      },
    })
    const budgets = result.budgets.map(sharedKey)
    if (!result.ok) return { ...result, subject: stripSuffix(result.subject), budgets }
    if (reserve) this.rememberOrigin(reserve.id, windows)
    return { ...result, budgets }
  }

  adjust(adjustment: RateAdjustment): Promise<RateState> {
    return this.run(
      () => this.shared.adjust(adjustment),
      () => this.local.adjust({ ...adjustment, limit: this.share(adjustment.limit) }),
    )
  }

  renewLease(renewal: LeaseRenewal): Promise<boolean> {
    // While Redis is away a lease taken there cannot be checked; it expires by itself anyway, so
    // a running stream is not told to stop.
    return this.run(
      // A lease taken locally during an outage lives on in the memory twin after recovery.
      async () => (await this.shared.renewLease(renewal)) || (await this.local.renewLease(renewal)),
      async () => (await this.local.renewLease(renewal)) || true,
    )
  }

  async releaseLease(lease: LeaseRef): Promise<void> {
    await this.local.releaseLease(lease)
    // A Redis lease whose release is lost here heals at its TTL.
    await this.run(
      () => this.shared.releaseLease(lease),
      async () => {},
    )
  }

  countLeases(key: string): Promise<number> {
    return this.run(
      () => this.shared.countLeases(key),
      () => this.local.countLeases(key),
    )
  }

  reserve(request: ReserveRequest): Promise<ReserveResult> {
    return reserveVia(this, request)
  }

  async settle(reservation: Reservation, actualCost: number): Promise<SettleResult> {
    if (reservation.store === 'memory') {
      const result = await this.local.settle(reservation, actualCost)
      const origin = this.localOrigins.get(reservation.id)
      this.localOrigins.delete(reservation.id)
      if (result.applied) this.ledger.owe(origin ?? reservation.budgets.map((b) => ({ ...b, key: stripSuffix(b.key) })), actualCost)
      // Settled after Redis came back: its spend goes there now, not at the next outage's end.
      if (!this.degraded && !(await this.flush())) this.enterDegraded()
      // Alerts are judged on shared spend: the replay into Redis reports them, not the local allowance.
      return { ...result, budgets: result.budgets.map((b) => ({ ...sharedKey(b), crossed: [] })) }
    }
    return this.run(
      async () => {
        const result = await this.shared.settle(reservation, actualCost)
        this.remember(result.budgets)
        return result
      },
      async () => {
        this.ledger.settleLater(reservation, actualCost)
        return { applied: true, budgets: reservation.budgets.map((b) => ({ ...this.estimate(b), crossed: [] })) }
      },
    )
  }

  async release(reservation: Reservation): Promise<void> {
    if (reservation.store === 'memory') {
      this.localOrigins.delete(reservation.id)
      return this.local.release(reservation)
    }
    await this.run(
      () => this.shared.release(reservation),
      async () => {
        this.ledger.releaseLater(reservation)
      },
    )
  }

  async budgetStatus(rule: BudgetRule): Promise<BudgetState> {
    return this.run(
      async () => {
        const state = await this.shared.budgetStatus(rule)
        this.remember([state])
        return state
      },
      async () => {
        const parsed = parseOrThrow(BudgetRuleSchema, rule)
        const [budget] = reservedBudgets([parsed], Date.now()) as [ReservedBudget]
        const local = await this.local.budgetStatus({ ...parsed, key: this.localKey(parsed.key) })
        const known = this.estimate(budget)
        return budgetState(budget, known.spent + local.spent, known.reserved + local.reserved)
      },
    )
  }

  /** Always true: local limits keep answering. While degraded, also checks whether Redis is back. */
  async ping(): Promise<boolean> {
    if (this.degraded) await this.probe()
    return true
  }

  async close(): Promise<void> {
    await Promise.all([this.shared.close(), this.local.close()])
  }

  private async run<T>(viaShared: () => Promise<T>, viaLocal: () => Promise<T>): Promise<T> {
    if (this.degraded) {
      if (Date.now() - this.lastProbe >= this.probeIntervalMs) void this.probe()
      return viaLocal()
    }
    try {
      return await viaShared()
    } catch (err) {
      if (err instanceof LimitsInputError) throw err
      this.enterDegraded()
      return viaLocal()
    }
  }

  private enterDegraded(): void {
    // Calls in flight when Redis went away all fail here: only the first opens a new outage, so
    // the outage has one local allowance, not one per failed call.
    if (this.degradedSince !== null) return
    this.degradedSince = Date.now()
    this.lastProbe = this.degradedSince
    this.episode += 1
  }

  private flush(): Promise<boolean> {
    return this.ledger.flush(this.shared, (states) => this.remember(states))
  }

  private probe(): Promise<void> {
    this.probing ??= (async () => {
      this.lastProbe = Date.now()
      if ((await this.shared.ping()) && (await this.flush())) this.degradedSince = null
    })().finally(() => {
      this.probing = null
    })
    return this.probing
  }

  private share(limit: number): number {
    return Math.max(1, Math.floor(limit / this.options.replicas))
  }

  private localKey(key: string): string {
    return `${key}#degraded-${this.episode}`
  }

  private localAllowance(budget: ReservedBudget): number {
    const remaining = Math.max(0, this.lastKnown.get(windowId(budget)) ?? budget.limit)
    return Math.floor(Math.min(remaining, this.allowance * budget.limit) / this.options.replicas)
  }

  private remember(states: readonly BudgetState[]): void {
    if (this.lastKnown.size > LAST_KNOWN_MAX) this.lastKnown.clear()
    for (const s of states) this.lastKnown.set(windowId(s), s.limit - s.spent - s.reserved)
  }

  private rememberOrigin(id: string, budgets: ReservedBudget[]): void {
    // Reservations never settled nor released would pile up: the oldest go first.
    if (this.localOrigins.size >= LAST_KNOWN_MAX) this.localOrigins.delete(this.localOrigins.keys().next().value ?? '')
    this.localOrigins.set(id, budgets)
  }

  private estimate(budget: ReservedBudget): BudgetState {
    const remaining = this.lastKnown.get(windowId(budget)) ?? budget.limit
    return budgetState(budget, Math.max(0, budget.limit - remaining), 0)
  }
}

function stripSuffix(key: string): string {
  return key.replace(DEGRADED_SUFFIX, '')
}

function sharedKey<T extends { key: string }>(state: T): T {
  return { ...state, key: stripSuffix(state.key) }
}

export function createResilientLimits(redisLimits: Limits, memoryLimits: Limits, options: ResilientLimitsOptions): ResilientLimits {
  return new ResilientLimitsImpl(redisLimits, memoryLimits, options)
}
