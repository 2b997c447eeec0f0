import { type Buckets, decayBuckets, decayFactor, DecayingHistogram, mergeBuckets, quantile } from './histogram.ts'
import { MAX_TARGETS, type StoreLink } from './link.ts'
import type { LatencyView, ParsedLatencyConfig, ReplicaLatency } from './ports.ts'

// Per-target latency for `lowest-latency` and `hedge` (delayMs "p90"): this replica's EWMA of TTFT
// and total latency plus a decayed TTFT histogram, flushed to the store each sync tick; the other
// replicas' entries read back on the same tick and merged, weighted by recent sample counts.

interface LocalLatency {
  ewmaTtftMs: number | null
  ewmaLatencyMs: number | null
  weight: number
  weightAt: number
  ttft: DecayingHistogram
  dirty: boolean
}

export interface LatencySample {
  /** Time to the first content byte (streams) or to the response (non-streams). */
  ttftMs?: number
  latencyMs?: number
}

const valid = (v: number | undefined): v is number => v !== undefined && Number.isFinite(v) && v >= 0

export class LatencyBoard {
  private readonly local = new Map<string, LocalLatency>()
  /** Other replicas' entries, as last read. */
  private readonly remote = new Map<string, ReplicaLatency[]>()
  /** Targets asked about: read back even when this replica has no samples of its own. */
  private readonly watched = new Set<string>()

  constructor(
    private readonly link: StoreLink,
    private readonly config: ParsedLatencyConfig,
  ) {}

  observe(targetId: string, sample: LatencySample): void {
    const now = this.link.clock()
    let l = this.local.get(targetId)
    if (!l) {
      if (this.local.size >= MAX_TARGETS) return
      l = { ewmaTtftMs: null, ewmaLatencyMs: null, weight: 0, weightAt: now, ttft: new DecayingHistogram(this.config.halfLifeMs, now), dirty: false }
      this.local.set(targetId, l)
    }
    const a = this.config.alpha
    const ewma = (prev: number | null, x: number) => (prev === null ? x : prev + a * (x - prev))
    if (valid(sample.ttftMs)) {
      l.ewmaTtftMs = ewma(l.ewmaTtftMs, sample.ttftMs)
      l.ttft.observe(sample.ttftMs, now)
    }
    if (valid(sample.latencyMs)) l.ewmaLatencyMs = ewma(l.ewmaLatencyMs, sample.latencyMs)
    if (!valid(sample.ttftMs) && !valid(sample.latencyMs)) return
    l.weight = l.weight * decayFactor(now - l.weightAt, this.config.halfLifeMs) + 1
    l.weightAt = now
    l.dirty = true
  }

  /** This replica's samples merged with the other replicas' last-read entries. Never waits. */
  snapshot(targetIds: readonly string[]): LatencyView[] {
    const now = this.link.clock()
    return targetIds.map((id) => {
      if (this.watched.size < MAX_TARGETS) this.watched.add(id)
      const entries = [...(this.remote.get(id) ?? []).filter((e) => now - e.at < this.config.staleAfterMs)]
      const mine = this.entry(id, now)
      if (mine) entries.push(mine)
      return merge(id, entries, now, this.config.halfLifeMs)
    })
  }

  /** One sync tick: flush this replica's changed entries, read everyone's. */
  async sync(): Promise<boolean> {
    const now = this.link.clock()
    const dirty = [...this.local].filter(([, l]) => l.dirty)
    const entries = dirty.flatMap(([targetId]) => {
      const latency = this.entry(targetId, now)
      return latency ? [{ targetId, latency }] : []
    })
    for (const [, l] of dirty) l.dirty = false
    const wrote = entries.length === 0 || (await this.link.call((s) => s.writeLatency(entries, this.config.staleAfterMs * 2))) !== null
    if (!wrote) {
      for (const [, l] of dirty) l.dirty = true
      return false
    }
    const ids = [...new Set([...this.local.keys(), ...this.watched])]
    const read = await this.link.call((s) => s.readLatency(ids))
    if (read === null) return false
    ids.forEach((id, i) => this.remote.set(id, (read[i] ?? []).filter((e) => e.replicaId !== this.link.replicaId)))
    return true
  }

  private entry(targetId: string, now: number): ReplicaLatency | null {
    const l = this.local.get(targetId)
    if (!l) return null
    return {
      replicaId: this.link.replicaId,
      ewmaTtftMs: l.ewmaTtftMs,
      ewmaLatencyMs: l.ewmaLatencyMs,
      weight: l.weight * decayFactor(now - l.weightAt, this.config.halfLifeMs),
      buckets: l.ttft.read(now),
      at: now,
    }
  }
}

function merge(id: string, entries: readonly ReplicaLatency[], now: number, halfLifeMs: number): LatencyView {
  let samples = 0
  const buckets: Buckets = {}
  const weighted = { ttft: [0, 0], latency: [0, 0] }
  for (const e of entries) {
    const factor = decayFactor(now - e.at, halfLifeMs)
    const w = e.weight * factor
    samples += w
    mergeBuckets(buckets, decayBuckets(e.buckets, factor))
    if (e.ewmaTtftMs !== null) {
      weighted.ttft[0]! += w * e.ewmaTtftMs
      weighted.ttft[1]! += w
    }
    if (e.ewmaLatencyMs !== null) {
      weighted.latency[0]! += w * e.ewmaLatencyMs
      weighted.latency[1]! += w
    }
  }
  const avg = ([sum, w]: number[]) => (w && w > 0 ? (sum ?? 0) / w : null)
  return { id, ewmaTtftMs: avg(weighted.ttft), ewmaLatencyMs: avg(weighted.latency), samples, p90TtftMs: quantile(buckets, 0.9) }
}

export interface PickOptions {
  /** Chance of choosing another target than the fastest, so a recovered one is noticed. */
  explore?: number
  rng?: () => number
  metric?: 'ttft' | 'latency'
}

/**
 * The lowest-latency choice among targets the breakers allow: a target without samples first
 * (it must be measured), else the lowest EWMA, except with probability `explore` a uniformly
 * random other one. Null for an empty list.
 */
export function pickLowestLatency(views: readonly LatencyView[], options: PickOptions = {}): string | null {
  const rng = options.rng ?? Math.random
  const score = (v: LatencyView) => (options.metric === 'latency' ? v.ewmaLatencyMs : v.ewmaTtftMs) ?? v.ewmaLatencyMs ?? v.ewmaTtftMs
  const unmeasured = views.find((v) => score(v) === null || v.samples < 0.5)
  if (unmeasured) return unmeasured.id
  const sorted = [...views].sort((a, b) => (score(a) ?? 0) - (score(b) ?? 0))
  const best = sorted[0]
  if (!best) return null
  if (sorted.length > 1 && rng() < (options.explore ?? 0.05)) return sorted[1 + Math.floor(rng() * (sorted.length - 1))]?.id ?? best.id
  return best.id
}
