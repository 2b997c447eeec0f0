import { applyTransition } from './breaker-rules.ts'
import {
  type BreakerRecord,
  type BreakerTransition,
  type BreakerTransitionResult,
  type BudgetAddRequest,
  type BudgetBucket,
  type ReplicaLatency,
  type RoutingStore,
} from './ports.ts'

// The in-memory twin of redis-store.ts: one process's "Redis". Several replicas (RoutingState
// instances) can share one, which is how the embedded default and the contract test use it.
// Every method is one JS turn, so atomic like the Lua scripts it mirrors; listeners are called on
// a later turn, as pub/sub delivers.

interface Expiring<V> {
  value: V
  expiresAt: number
}

export interface MemoryRoutingStoreOptions {
  /** Epoch ms, for the latency entries' expiry; a test can move time. */
  clock?: () => number
}

class MemoryRoutingStore implements RoutingStore {
  readonly kind = 'memory' as const
  private readonly breakers = new Map<string, BreakerRecord>()
  private readonly listeners = new Set<(targetId: string, record: BreakerRecord) => void>()
  private readonly latency = new Map<string, Map<string, Expiring<ReplicaLatency>>>()
  private readonly budgets = new Map<string, Map<number, Map<string, { requests: number; retries: number }>>>()

  constructor(private readonly clock: () => number) {}

  async transitionBreaker(t: BreakerTransition): Promise<BreakerTransitionResult> {
    const result = applyTransition(t, this.breakers.get(t.targetId) ?? null, (id) => this.breakers.get(id) ?? null, t.config)
    if (result.applied) this.publish(t.targetId, result.record)
    return result
  }

  async readBreakers(targetIds: readonly string[]): Promise<(BreakerRecord | null)[]> {
    return targetIds.map((id) => this.breakers.get(id) ?? null)
  }

  async seedBreaker(targetId: string, record: BreakerRecord): Promise<BreakerTransitionResult> {
    const existing = this.breakers.get(targetId)
    if (existing) return { applied: false, record: existing }
    this.publish(targetId, record)
    return { applied: true, record }
  }

  async onBreakerChange(listener: (targetId: string, record: BreakerRecord) => void): Promise<() => void> {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  async writeLatency(entries: readonly { targetId: string; latency: ReplicaLatency }[], ttlMs: number): Promise<void> {
    const expiresAt = this.clock() + ttlMs
    for (const { targetId, latency } of entries) {
      let byReplica = this.latency.get(targetId)
      if (!byReplica) this.latency.set(targetId, (byReplica = new Map()))
      byReplica.set(latency.replicaId, { value: latency, expiresAt })
    }
  }

  async readLatency(targetIds: readonly string[]): Promise<ReplicaLatency[][]> {
    const now = this.clock()
    return targetIds.map((id) => {
      const byReplica = this.latency.get(id)
      if (!byReplica) return []
      for (const [replica, entry] of byReplica) if (entry.expiresAt <= now) byReplica.delete(replica)
      return [...byReplica.values()].map((e) => e.value)
    })
  }

  async addBudget({ group, replicaId, deltas, sinceBucket, untilBucket }: BudgetAddRequest): Promise<BudgetBucket[]> {
    let buckets = this.budgets.get(group)
    if (!buckets) this.budgets.set(group, (buckets = new Map()))
    for (const d of deltas) {
      let byReplica = buckets.get(d.bucketStart)
      if (!byReplica) buckets.set(d.bucketStart, (byReplica = new Map()))
      const counts = byReplica.get(replicaId) ?? { requests: 0, retries: 0 }
      byReplica.set(replicaId, { requests: counts.requests + d.requests, retries: counts.retries + d.retries })
    }
    const out: BudgetBucket[] = []
    for (const [bucketStart, byReplica] of buckets) {
      if (bucketStart < sinceBucket) {
        buckets.delete(bucketStart)
        continue
      }
      if (bucketStart > untilBucket) continue
      let requests = 0
      let retries = 0
      for (const c of byReplica.values()) {
        requests += c.requests
        retries += c.retries
      }
      out.push({ bucketStart, requests, retries, replicas: byReplica.size })
    }
    return out.sort((a, b) => a.bucketStart - b.bucketStart)
  }

  async ping(): Promise<boolean> {
    return true
  }

  async close(): Promise<void> {
    this.listeners.clear()
  }

  private publish(targetId: string, record: BreakerRecord): void {
    this.breakers.set(targetId, record)
    for (const listener of this.listeners) setImmediate(() => listener(targetId, record))
  }
}

export function createMemoryRoutingStore(options: MemoryRoutingStoreOptions = {}): RoutingStore {
  return new MemoryRoutingStore(options.clock ?? Date.now)
}
