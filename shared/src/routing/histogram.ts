// A bounded-memory quantile sketch for TTFT: log-spaced buckets (each 20 % wider than the last,
// so a quantile is within ~10 % of the truth at any scale) holding exponentially decayed counts,
// so a target's p90 follows its recent behaviour, not its whole life. Mergeable by addition,
// which is how replicas combine theirs through Redis.

export const BUCKET_GROWTH = 1.2
/** Bucket 0 holds [0, 1 ms); the last one holds everything above ~10 min. */
export const BUCKET_COUNT = 75
const LOG_GROWTH = Math.log(BUCKET_GROWTH)

export function bucketOf(valueMs: number): number {
  if (!(valueMs >= 1)) return 0
  return Math.min(BUCKET_COUNT - 1, 1 + Math.floor(Math.log(valueMs) / LOG_GROWTH))
}

function bucketBounds(i: number): [number, number] {
  if (i === 0) return [0, 1]
  return [BUCKET_GROWTH ** (i - 1), BUCKET_GROWTH ** i]
}

/** Sparse decayed counts: bucket index → weight. Plain data, so it can travel as JSON. */
export type Buckets = Record<number, number>

/** The value below which `q` of the weight lies, interpolated inside its bucket; null when empty. */
export function quantile(buckets: Buckets, q: number): number | null {
  const entries = Object.entries(buckets)
    .map(([i, w]) => [Number(i), w] as const)
    .filter(([, w]) => w > 0)
    .sort((a, b) => a[0] - b[0])
  const total = entries.reduce((sum, [, w]) => sum + w, 0)
  if (total <= 0) return null
  const target = q * total
  let seen = 0
  for (const [i, w] of entries) {
    if (seen + w >= target) {
      const [lo, hi] = bucketBounds(i)
      return lo + ((target - seen) / w) * (hi - lo)
    }
    seen += w
  }
  const last = entries[entries.length - 1]
  return last ? bucketBounds(last[0])[1] : null
}

/** Multiplies every weight by `factor`, dropping the ones that became negligible. */
export function decayBuckets(buckets: Buckets, factor: number): Buckets {
  const out: Buckets = {}
  for (const [i, w] of Object.entries(buckets)) {
    const next = w * factor
    if (next >= 1e-3) out[Number(i)] = next
  }
  return out
}

export function mergeBuckets(into: Buckets, from: Buckets): Buckets {
  for (const [i, w] of Object.entries(from)) into[Number(i)] = (into[Number(i)] ?? 0) + w
  return into
}

/** The decay factor after `elapsedMs` for a half-life. */
export function decayFactor(elapsedMs: number, halfLifeMs: number): number {
  return elapsedMs <= 0 ? 1 : 0.5 ** (elapsedMs / halfLifeMs)
}

/** One target's sketch: observe is O(1) amortised; decay is applied lazily on the next touch. */
export class DecayingHistogram {
  private buckets: Buckets = {}
  private decayedAt: number

  constructor(
    private readonly halfLifeMs: number,
    now: number,
  ) {
    this.decayedAt = now
  }

  observe(valueMs: number, now: number): void {
    this.decay(now)
    const i = bucketOf(valueMs)
    this.buckets[i] = (this.buckets[i] ?? 0) + 1
  }

  /** The decayed counts as of `now` (a copy). */
  read(now: number): Buckets {
    this.decay(now)
    return { ...this.buckets }
  }

  quantile(q: number, now: number): number | null {
    return quantile(this.read(now), q)
  }

  private decay(now: number): void {
    // Decaying every call would cost O(buckets); a 1 % step is below the sketch's resolution.
    const factor = decayFactor(now - this.decayedAt, this.halfLifeMs)
    if (factor > 0.99) return
    this.buckets = decayBuckets(this.buckets, factor)
    this.decayedAt = now
  }
}
