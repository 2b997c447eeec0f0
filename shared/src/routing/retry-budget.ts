import { MAX_TARGETS, type StoreLink } from './link.ts'
import type { BudgetBucket, BudgetDelta, ParsedRetryBudgetConfig } from './ports.ts'

// The retry budget (G-REL-14): over a sliding window, retries ≤ ratio × requests, with a floor of
// minPerSecond, counted across replicas so an outage cannot multiply load. The decision is local
// and synchronous: the totals last read from the store, plus this replica's counts since then
// multiplied by the number of replicas counting (each is assumed as busy as this one), so a tick's
// staleness cannot let every replica spend the whole remaining budget at once.

interface Counts {
  requests: number
  retries: number
}

interface Scope {
  /** This replica's counts per bucket (the degraded view). */
  own: Map<number, Counts>
  /** Counted since the last flush, per bucket. */
  unsynced: Map<number, Counts>
  /** Flushed, awaiting the store's answer. */
  inflight: Map<number, Counts>
  /** Every replica's totals as last read. */
  shared: Map<number, BudgetBucket> | null
}

/** Overrides of the configured share for one scope (the same at every call for that scope). */
export interface BudgetShare {
  ratio?: number
  minPerSecond?: number
}

const add = (map: Map<number, Counts>, bucket: number, requests: number, retries: number) => {
  const c = map.get(bucket) ?? { requests: 0, retries: 0 }
  map.set(bucket, { requests: c.requests + requests, retries: c.retries + retries })
}

export class RetryBudget {
  private readonly scopes = new Map<string, Scope>()

  constructor(
    private readonly link: StoreLink,
    private readonly config: ParsedRetryBudgetConfig,
    /** Replicas expected: while degraded, this replica's floor is minPerSecond ÷ replicas. */
    private readonly replicas: number,
  ) {}

  /** Once per client request (not per attempt): the base the ratio applies to. */
  recordRequest(scope = 'global'): void {
    const s = this.scope(scope)
    if (!s) return
    const bucket = this.bucketOf(this.link.clock())
    add(s.own, bucket, 1, 0)
    add(s.unsynced, bucket, 1, 0)
  }

  /**
   * Before each retry: true spends one unit of the budget; false means don't retry. Hedges use
   * their own scope and share (G-REL-16: ≤ 10 % extra attempts), e.g.
   * `tryAcquire('hedge', { ratio: 0.1, minPerSecond: 0 })` after `recordRequest('hedge')`.
   */
  tryAcquire(scope = 'global', share: BudgetShare = {}): boolean {
    const s = this.scope(scope)
    if (!s) return false
    const now = this.link.clock()
    const since = this.bucketOf(now) - this.config.windowMs + this.config.bucketMs
    const windowSeconds = this.config.windowMs / 1000
    let requests = 0
    let retries = 0
    const ratio = share.ratio ?? this.config.ratio
    const minPerSecond = share.minPerSecond ?? this.config.minPerSecond
    let floor = (minPerSecond * windowSeconds) / this.replicas
    if (this.link.degraded || s.shared === null) {
      for (const [b, c] of s.own) {
        if (b < since) continue
        requests += c.requests
        retries += c.retries
      }
    } else {
      let replicas = 1
      for (const [b, t] of s.shared) {
        if (b < since) continue
        requests += t.requests
        retries += t.retries
        replicas = Math.max(replicas, t.replicas)
      }
      for (const pending of [s.unsynced, s.inflight]) {
        for (const [b, c] of pending) {
          if (b < since) continue
          requests += replicas * c.requests
          retries += replicas * c.retries
        }
      }
      floor = minPerSecond * windowSeconds
    }
    if (retries + 1 > Math.max(floor, ratio * requests)) return false
    const bucket = this.bucketOf(now)
    add(s.own, bucket, 0, 1)
    add(s.unsynced, bucket, 0, 1)
    return true
  }

  /** One sync tick: add this replica's counts to the store and read every replica's totals. */
  async sync(): Promise<boolean> {
    const now = this.link.clock()
    const until = this.bucketOf(now)
    const since = until - this.config.windowMs + this.config.bucketMs
    let ok = true
    for (const [name, s] of this.scopes) {
      for (const b of s.own.keys()) if (b < since) s.own.delete(b)
      if (s.own.size === 0 && s.unsynced.size === 0) {
        this.scopes.delete(name)
        continue
      }
      s.inflight = s.unsynced
      s.unsynced = new Map()
      const deltas: BudgetDelta[] = [...s.inflight].map(([bucketStart, c]) => ({ bucketStart, ...c }))
      const ttlMs = this.config.windowMs + 2 * this.config.bucketMs
      const totals = await this.link.call((store) => store.addBudget({ group: name, replicaId: this.link.replicaId, deltas, sinceBucket: since, untilBucket: until, bucketMs: this.config.bucketMs, ttlMs }))
      if (totals === null) {
        // Not counted there: counted again with the next flush (own already holds it locally).
        for (const [b, c] of s.inflight) add(s.unsynced, b, c.requests, c.retries)
        s.inflight = new Map()
        s.shared = null
        ok = false
        continue
      }
      s.inflight = new Map()
      s.shared = new Map(totals.map((t) => [t.bucketStart, t]))
    }
    return ok
  }

  private scope(name: string): Scope | undefined {
    let s = this.scopes.get(name)
    if (!s && this.scopes.size < MAX_TARGETS) {
      s = { own: new Map(), unsynced: new Map(), inflight: new Map(), shared: null }
      this.scopes.set(name, s)
    }
    return s
  }

  private bucketOf(now: number): number {
    return now - (now % this.config.bucketMs)
  }
}
