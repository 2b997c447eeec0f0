// The ports both planes share through Redis. Every port has a Redis implementation (scale-out)
// and an in-memory twin (the one-process embedded default); both pass infra.contract.test.ts.

export interface SnapshotBus {
  /** Stores the snapshot under its version and as latest (never replacing a newer one), then announces it. */
  publish(version: number, json: string): Promise<void>
  getLatest(): Promise<string | null>
  get(version: number): Promise<string | null>
  /** Calls back with each announced version; pub/sub is at-most-once, so callers also poll. */
  subscribe(onVersion: (version: number) => void): Promise<Unsubscribe>
}

export type Unsubscribe = () => Promise<void>

export interface LogStreamEntry {
  id: string
  /** The event as JSON: parsed (and validated) by the consumer. */
  payload: string
}

export interface LogStream {
  append(payloads: readonly string[]): Promise<void>
  /**
   * Next entries for this consumer: first entries left pending by a dead consumer for longer
   * than `claimIdleMs`, then new ones (waiting up to `blockMs`). Entries stay pending until acked.
   */
  read(options: { consumer: string; count: number; blockMs: number; claimIdleMs: number }): Promise<LogStreamEntry[]>
  ack(ids: readonly string[]): Promise<void>
}

export interface Infra {
  kind: 'redis' | 'memory'
  snapshots: SnapshotBus
  logs: LogStream
  /** Readiness of the shared store (Redis ping); the memory twin is always up. */
  ping(): Promise<boolean>
  close(): Promise<void>
}

export const LOG_CONSUMER_GROUP = 'ingest'
