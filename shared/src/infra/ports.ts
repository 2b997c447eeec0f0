// The ports both planes share through Redis. Every port has a Redis implementation (scale-out)
// and an in-memory twin (owned by `npm start`'s control-plane process), which the embedded
// default's data-plane child reaches over IPC (ipc-client.ts); all three pass infra.contract.test.ts.

export interface SnapshotBus {
  /** Stores the snapshot under its version and as latest (never replacing a newer one), then announces it. */
  publish(version: number, json: string): Promise<void>
  getLatest(): Promise<string | null>
  /**
   * The version of latest without fetching the document (a poller's cheap check); null when it
   * cannot tell (nothing published, or a document that does not start as the control plane
   * writes it): fetch latest to know.
   */
  latestVersion(): Promise<number | null>
  get(version: number): Promise<string | null>
  /** Calls back with each announced version; pub/sub is at-most-once, so callers also poll. */
  subscribe(onVersion: (version: number) => void): Promise<Unsubscribe>
}

export type Unsubscribe = () => Promise<void>

export interface LogStreamEntry {
  /** The stream entry's id: the events of one append (one batch) share it. */
  id: string
  /** The event as JSON: parsed (and validated) by the consumer. */
  payload: string
}

export interface LogStream {
  /** Appends the events as one stream entry (a batch): one round trip, all or nothing. */
  append(payloads: readonly string[]): Promise<void>
  /**
   * Next events for this consumer: first those of entries left pending for longer than
   * `claimIdleMs` by any consumer — a dead one, or this one after a failed store (XAUTOCLAIM) —
   * then new ones (waiting up to `blockMs`). `count` counts stream
   * entries (batches), so a read can return more events than that. Entries stay pending until
   * acked; acking an id acks its whole batch.
   */
  read(options: { consumer: string; count: number; blockMs: number; claimIdleMs: number }): Promise<LogStreamEntry[]>
  ack(ids: readonly string[]): Promise<void>
}

export interface Infra {
  kind: 'redis' | 'memory' | 'ipc'
  snapshots: SnapshotBus
  logs: LogStream
  /** Readiness of the shared store (Redis ping); the memory twin is always up. */
  ping(): Promise<boolean>
  close(): Promise<void>
}

export const LOG_CONSUMER_GROUP = 'ingest'
