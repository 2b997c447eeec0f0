import type { RoutingStore } from './ports.ts'

/**
 * The replica's one way to the store: a failed call marks the replica degraded and answers null,
 * so callers fall back to local state; while degraded, calls are not even tried (the sync tick's
 * ping decides when the store is back).
 */
export interface StoreLink {
  readonly degraded: boolean
  readonly replicaId: string
  readonly clock: () => number
  call<T>(f: (store: RoutingStore) => Promise<T>): Promise<T | null>
}

/** Local maps are bounded: a flood of unknown target ids (a bug, a hostile config) cannot grow them. */
export const MAX_TARGETS = 10_000
