import { randomBytes } from 'node:crypto'
import { Breakers } from './breakers.ts'
import { LatencyBoard } from './latency.ts'
import type { StoreLink } from './link.ts'
import {
  type BreakerConfig,
  BreakerConfigSchema,
  type LatencyConfig,
  LatencyConfigSchema,
  parseOrThrow,
  type RetryBudgetConfig,
  RetryBudgetConfigSchema,
  RoutingInputError,
  type RoutingStore,
} from './ports.ts'
import { RetryBudget } from './retry-budget.ts'

// One replica's routing state: the three boards over one store, and the sync loop that keeps them
// in step with it. The store being unreachable is never an error here: the replica marks itself
// degraded (for /readyz details), decides on its local view, and reconciles when the store answers.

export interface RoutingStateOptions {
  store: RoutingStore
  /** Unique per process (default: random); names this replica's entries in the store. */
  replicaId?: string
  /** Epoch ms; a test can move time. */
  clock?: () => number
  breaker?: BreakerConfig
  latency?: LatencyConfig
  retryBudget?: RetryBudgetConfig
  /** How often to flush samples and counts and read the merged view back. */
  syncIntervalMs?: number
  /** How often to re-read every breaker (pub/sub is at-most-once). */
  reconcileIntervalMs?: number
  /** Replicas the deployment expects: while degraded, the retry floor is shared among them. */
  replicas?: number
}

export interface RoutingState {
  readonly replicaId: string
  readonly breakers: Breakers
  readonly latency: LatencyBoard
  readonly retryBudget: RetryBudget
  /** True while the store is unreachable and decisions use this replica's local view only. */
  readonly degraded: boolean
  /** One sync tick now (the timer runs them anyway); resolves when it is done. */
  sync(): Promise<void>
  close(): Promise<void>
}

class RoutingStateImpl implements RoutingState, StoreLink {
  readonly replicaId: string
  readonly clock: () => number
  readonly breakers: Breakers
  readonly latency: LatencyBoard
  readonly retryBudget: RetryBudget
  private isDegraded = false
  private lastReconcile = Number.NEGATIVE_INFINITY
  private ticking: Promise<void> | null = null
  private timer: NodeJS.Timeout | null = null
  private subscription: Promise<(() => void) | null> | null = null
  private readonly reconcileIntervalMs: number

  constructor(
    private readonly store: RoutingStore,
    options: RoutingStateOptions,
  ) {
    this.replicaId = options.replicaId ?? `replica-${randomBytes(6).toString('hex')}`
    this.clock = options.clock ?? Date.now
    const replicas = options.replicas ?? 1
    if (!Number.isInteger(replicas) || replicas < 1) throw new RoutingInputError('replicas must be a positive integer')
    this.breakers = new Breakers(this, parseOrThrow(BreakerConfigSchema, options.breaker ?? {}))
    this.latency = new LatencyBoard(this, parseOrThrow(LatencyConfigSchema, options.latency ?? {}))
    this.retryBudget = new RetryBudget(this, parseOrThrow(RetryBudgetConfigSchema, options.retryBudget ?? {}), replicas)
    this.reconcileIntervalMs = options.reconcileIntervalMs ?? 1000
  }

  get degraded(): boolean {
    return this.isDegraded
  }

  async call<T>(f: (store: RoutingStore) => Promise<T>): Promise<T | null> {
    if (this.isDegraded) return null
    try {
      return await f(this.store)
    } catch {
      this.isDegraded = true
      return null
    }
  }

  async start(syncIntervalMs: number): Promise<void> {
    // Redis away at boot: start degraded; ioredis completes the subscription once it connects.
    const timeout = new Promise<null>((resolve) => setTimeout(() => resolve(null), 1000).unref())
    if (!(await Promise.race([this.subscribe(), timeout]))) this.isDegraded = true
    await this.sync()
    this.timer = setInterval(() => void this.sync(), syncIntervalMs)
    this.timer.unref()
  }

  sync(): Promise<void> {
    this.ticking ??= this.tick().finally(() => {
      this.ticking = null
    })
    return this.ticking
  }

  private async tick(): Promise<void> {
    let recovering = false
    this.breakers.claimDue()
    if (this.isDegraded) {
      if (!(await this.store.ping())) return
      this.isDegraded = false
      recovering = true
      void this.subscribe()
    }
    // Paced by real time: the injectable clock is the state's notion of time, not the loop's.
    const now = performance.now()
    const reconcile = recovering || now - this.lastReconcile >= this.reconcileIntervalMs
    await Promise.all([this.latency.sync(), this.retryBudget.sync(), reconcile ? this.breakers.reconcile() : Promise.resolve(true)])
    if (reconcile && !this.isDegraded) this.lastReconcile = now
  }

  /** Subscribes once; a subscription that failed is tried again on the next recovery. */
  private subscribe(): Promise<(() => void) | null> {
    this.subscription ??= this.store
      .onBreakerChange((targetId, record) => this.breakers.adopt(targetId, record))
      .catch(() => {
        this.subscription = null
        return null
      })
    return this.subscription
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer)
    void this.subscription?.then((unsubscribe) => unsubscribe?.())
    await this.ticking
  }
}

/** Creates a replica's routing state, subscribes to breaker changes and runs the first sync. */
export async function startRoutingState(options: RoutingStateOptions): Promise<RoutingState> {
  const state = new RoutingStateImpl(options.store, options)
  await state.start(options.syncIntervalMs ?? 250)
  return state
}
