/**
 * Entries that stop existing at their expiry, for the memory twin's leases and reservations
 * (the twin of a Redis zset scored by expiry). Pruning walks the entries only when the earliest
 * expiry has passed, so a call costs O(1) while nothing expires, not O(live entries).
 */
export class ExpiringMap<V> {
  private readonly entries = new Map<string, { value: V; expiresAt: number }>()
  private nextExpiry = Number.POSITIVE_INFINITY

  get size(): number {
    return this.entries.size
  }

  get(id: string): { value: V; expiresAt: number } | undefined {
    return this.entries.get(id)
  }

  set(id: string, value: V, expiresAt: number): void {
    this.entries.set(id, { value, expiresAt })
    if (expiresAt < this.nextExpiry) this.nextExpiry = expiresAt
  }

  delete(id: string): void {
    this.entries.delete(id)
  }

  /** Removes every entry expired at `now` (expiresAt ≤ now), handing each to `onExpired`. */
  prune(now: number, onExpired?: (value: V) => void): void {
    if (now < this.nextExpiry) return
    let next = Number.POSITIVE_INFINITY
    for (const [id, entry] of this.entries) {
      if (entry.expiresAt <= now) {
        this.entries.delete(id)
        onExpired?.(entry.value)
      } else if (entry.expiresAt < next) next = entry.expiresAt
    }
    this.nextExpiry = next
  }

  /** The earliest expiry among the entries (after a prune: the first to free up). */
  earliestExpiry(): number {
    let earliest = Number.POSITIVE_INFINITY
    for (const entry of this.entries.values()) if (entry.expiresAt < earliest) earliest = entry.expiresAt
    return earliest
  }
}
