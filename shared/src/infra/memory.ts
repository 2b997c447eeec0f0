import { EventEmitter } from 'node:events'
import type { Infra, LogStream, LogStreamEntry, SnapshotBus } from './ports.ts'

class MemorySnapshotBus implements SnapshotBus {
  private readonly versions = new Map<number, string>()
  private latest: { version: number; json: string } | null = null
  private readonly events = new EventEmitter()

  async publish(version: number, json: string): Promise<void> {
    this.versions.set(version, json)
    if (!this.latest || this.latest.version < version) this.latest = { version, json }
    // Asynchronous like a real subscription: a publisher never runs subscriber code inline.
    queueMicrotask(() => this.events.emit('version', version))
  }

  async getLatest(): Promise<string | null> {
    return this.latest?.json ?? null
  }

  async get(version: number): Promise<string | null> {
    return this.versions.get(version) ?? null
  }

  async latestVersion(): Promise<number | null> {
    return this.latest?.version ?? null
  }

  async subscribe(onVersion: (version: number) => void) {
    this.events.on('version', onVersion)
    return async () => {
      this.events.off('version', onVersion)
    }
  }
}

interface Pending {
  entry: MemoryEntry
  consumer: string
  deliveredAt: number
}

/** One append: a batch of events under one id, as the Redis stream stores it. */
interface MemoryEntry {
  id: string
  payloads: readonly string[]
}

function eventsOf(entries: MemoryEntry[]): LogStreamEntry[] {
  return entries.flatMap((entry) => entry.payloads.map((payload) => ({ id: entry.id, payload })))
}

class MemoryLogStream implements LogStream {
  private seq = 0
  private readonly fresh: MemoryEntry[] = []
  private readonly pending = new Map<string, Pending>()
  private readonly arrivals = new EventEmitter()

  async append(payloads: readonly string[]): Promise<void> {
    if (payloads.length === 0) return
    this.fresh.push({ id: `${Date.now()}-${this.seq++}`, payloads: [...payloads] })
    this.arrivals.emit('append')
  }

  async read(options: { consumer: string; count: number; blockMs: number; claimIdleMs: number }) {
    const claimed = this.claimIdle(options)
    if (claimed.length > 0) return eventsOf(claimed)
    if (this.fresh.length === 0 && options.blockMs > 0) await this.waitForAppend(options.blockMs)
    const deliveredAt = Date.now()
    const batch = this.fresh.splice(0, options.count)
    for (const entry of batch) this.pending.set(entry.id, { entry, consumer: options.consumer, deliveredAt })
    return eventsOf(batch)
  }

  /**
   * XAUTOCLAIM: every pending entry idle for `claimIdleMs`, whoever holds it — the reader
   * itself included, so a consumer that failed to store a batch gets it back instead of
   * leaving it pending forever (the one-process default has no other consumer to claim it).
   */
  private claimIdle(options: { consumer: string; count: number; claimIdleMs: number }): MemoryEntry[] {
    const now = Date.now()
    const claimed: MemoryEntry[] = []
    for (const p of this.pending.values()) {
      if (claimed.length >= options.count) break
      if (now - p.deliveredAt < options.claimIdleMs) continue
      p.consumer = options.consumer
      p.deliveredAt = now
      claimed.push(p.entry)
    }
    return claimed
  }

  async ack(ids: readonly string[]): Promise<void> {
    for (const id of ids) this.pending.delete(id)
  }

  private waitForAppend(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer)
        this.arrivals.off('append', done)
        resolve()
      }
      const timer = setTimeout(done, ms)
      this.arrivals.on('append', done)
    })
  }
}

export function createMemoryInfra(): Infra {
  return {
    kind: 'memory',
    snapshots: new MemorySnapshotBus(),
    logs: new MemoryLogStream(),
    ping: async () => true,
    close: async () => {},
  }
}
