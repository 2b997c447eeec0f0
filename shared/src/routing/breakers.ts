import { applyTransition } from './breaker-rules.ts'
import type { StoreLink } from './link.ts'
import { MAX_TARGETS } from './link.ts'
import { type Admission, type BreakerRecord, type BreakerStatus, type BreakerTransition, CLOSED, type Outcome, type ParsedBreakerConfig } from './ports.ts'

// Circuit breakers (G-REL-15), read synchronously from this replica's view. Transitions are
// applied here at once (except claiming the probe, which must be exclusive across replicas) and
// confirmed by the store, whose answer wins; other replicas' transitions arrive by pub/sub and a
// reconcile poll. Consecutive failures are counted per replica, like Envoy's outlier detection.

interface LocalBreaker {
  record: BreakerRecord
  failures: number
  /** Past the threshold but refused ejection: the group's ejection share is used up. */
  deferred: boolean
  /** This replica holds the probe and has already handed it to a request. */
  probeHanded: boolean
  /** A store call for this target is in flight. */
  pending: boolean
  /** Traffic asked for it while ejected: worth claiming the probe as soon as the cool-down ends. */
  asked: boolean
  /** The record is this replica's own guess, not yet confirmed by the store. */
  optimistic: boolean
}

export class Breakers {
  private readonly local = new Map<string, LocalBreaker>()

  constructor(
    private readonly link: StoreLink,
    private readonly config: ParsedBreakerConfig,
  ) {}

  /**
   * 'closed': send traffic. 'probe': send this one request; report its outcome with record().
   * 'open': skip the target. A target kept in service by the group's ejection share answers
   * 'closed' (status() says ejectionDeferred), so a group never loses more than its share.
   */
  allow(targetId: string): Admission {
    // Asked about = known: the reconcile poll reads it, so a lost announcement is caught up.
    const b = this.entry(targetId)
    if (!b || b.record.state === 'closed') return 'closed'
    const now = this.link.clock()
    if (b.record.state === 'half-open') {
      if (b.record.holder === this.link.replicaId && !b.probeHanded && now < b.record.probeUntil) {
        b.probeHanded = true
        return 'probe'
      }
      // A probe nobody reported on (its replica crashed): the slot frees at probeUntil.
      if (now >= b.record.probeUntil) this.transition(targetId, b, 'claim', [])
      return 'open'
    }
    b.asked = true
    // The sync tick claims the probe when the cool-down ends; an ask finding it unclaimed claims
    // it too, and the next ask on the winning replica gets it (at once, when claimed locally).
    if (now >= b.record.openUntil) {
      this.transition(targetId, b, 'claim', [])
      // Claimed locally (degraded): the record changed under this call.
      if (this.local.get(targetId)?.record.state === 'half-open') return this.allow(targetId)
    }
    return 'open'
  }

  /** Claims the probe of every target whose cool-down has ended and that traffic asked for. */
  claimDue(): void {
    const now = this.link.clock()
    for (const [id, b] of this.local) if (b.asked && b.record.state === 'open' && now >= b.record.openUntil) this.transition(id, b, 'claim', [])
  }

  /**
   * The outcome of a request to `targetId` (failure = 5xx, 529, connect error or timeout: never
   * a caller's 4xx). `group` is the set the target is chosen among (itself included): at most
   * its share (50 %, at least one) is ever ejected.
   */
  record(targetId: string, outcome: Outcome, group: readonly string[]): void {
    const b = this.entry(targetId)
    if (!b) return
    const mine = b.record.state === 'half-open' && b.record.holder === this.link.replicaId
    if (mine && b.probeHanded) {
      this.transition(targetId, b, outcome === 'success' ? 'close' : 'reopen', group)
      return
    }
    // Late answers of requests sent before the ejection tell nothing new.
    if (b.record.state !== 'closed') return
    if (outcome === 'success') {
      b.failures = 0
      b.deferred = false
      return
    }
    b.failures += 1
    if (b.failures >= this.config.failureThreshold) this.transition(targetId, b, 'open', group)
  }

  status(targetId: string): BreakerStatus {
    const b = this.local.get(targetId)
    const r = b?.record ?? CLOSED
    return { targetId, state: r.state, openUntil: r.openUntil, openings: r.openings, consecutiveFailures: b?.failures ?? 0, ejectionDeferred: b?.deferred ?? false }
  }

  /** A record from the store (pub/sub or reconcile): the highest generation wins unless forced. */
  adopt(targetId: string, record: BreakerRecord, force = false): void {
    const b = this.local.get(targetId) ?? (record.state === 'closed' ? undefined : this.entry(targetId))
    if (!b) return
    if (force ? record.generation === b.record.generation && record.state === b.record.state : record.generation <= b.record.generation) return
    this.set(b, record)
  }

  /** Reads every known target's record; seeds the store with local ejections it lost. */
  async reconcile(): Promise<boolean> {
    const ids = [...this.local.keys()]
    const before = ids.map((id) => this.local.get(id)?.record)
    const remote = await this.link.call((s) => s.readBreakers(ids))
    if (remote === null) return false
    await Promise.all(
      ids.map(async (id, i) => {
        const b = this.local.get(id)
        const r = remote[i]
        // Changed while the read was in flight: the read is older than what this replica knows.
        if (!b || b.pending || b.record !== before[i]) return
        if (r) return this.adopt(id, r, true)
        if (b.record.state === 'closed') return
        const seeded = await this.link.call((s) => s.seedBreaker(id, b.record))
        if (seeded) this.adopt(id, seeded.record, true)
      }),
    )
    return true
  }

  private entry(targetId: string): LocalBreaker | undefined {
    let b = this.local.get(targetId)
    if (!b && this.local.size < MAX_TARGETS) {
      b = { record: CLOSED, failures: 0, deferred: false, probeHanded: false, pending: false, asked: false, optimistic: false }
      this.local.set(targetId, b)
    }
    return b
  }

  private set(b: LocalBreaker, record: BreakerRecord, optimistic = false): void {
    b.optimistic = optimistic
    if (record.generation !== b.record.generation || record.state !== b.record.state) b.probeHanded = false
    if (record.state !== b.record.state) {
      b.failures = 0
      b.deferred = false
      b.asked = false
    }
    b.record = record
  }

  private transition(targetId: string, b: LocalBreaker, op: BreakerTransition['op'], group: readonly string[]): void {
    if (b.pending) return
    const t: BreakerTransition = { op, targetId, group, replicaId: this.link.replicaId, now: this.link.clock(), config: this.config }
    const locally = () => {
      const result = applyTransition(t, b.record, (id) => this.local.get(id)?.record ?? null, this.config)
      if (result.applied) this.set(b, result.record, !this.link.degraded)
      else if (op === 'open') b.deferred = true
      return result.applied
    }
    if (this.link.degraded) {
      locally()
      return
    }
    // Claiming waits for the store (only one replica may win); the rest apply at once.
    if (op !== 'claim' && !locally()) return
    b.pending = true
    void this.link
      .call((s) => s.transitionBreaker(t))
      .then((result) => {
        b.pending = false
        if (result === null) {
          if (op === 'claim') locally()
          return
        }
        // The store's answer replaces this replica's guess, but not a newer announcement.
        this.adopt(targetId, result.record, b.optimistic)
        if (op === 'open' && !result.applied && result.record.state === 'closed') {
          // Refused for the group's share: the next failure asks again.
          b.deferred = true
          b.failures = this.config.failureThreshold - 1
        }
      })
  }
}
