import type { DbClient } from '../lib/db.server.ts'

// Fixed-window attempt counters (throttle_buckets). One statement per attempt, so concurrent
// attempts never lose a count.

export interface BucketState {
  count: number
  windowStart: Date
}

/** Counts one attempt under `key`; a window older than `windowMs` starts over at 1. */
export async function hitThrottleBucket(db: DbClient, input: { key: string; now: Date; windowMs: number }): Promise<BucketState> {
  // Times cross as epoch milliseconds and are stored as UTC, like Prisma's own DateTime columns.
  const nowMs = input.now.getTime()
  const expiredBeforeMs = nowMs - input.windowMs
  const rows = await db.$queryRaw<{ count: number; window_start_ms: number }[]>`
    WITH t AS (
      SELECT (to_timestamp(${nowMs}::float8 / 1000) AT TIME ZONE 'UTC')::timestamp(3) AS now,
             (to_timestamp(${expiredBeforeMs}::float8 / 1000) AT TIME ZONE 'UTC')::timestamp(3) AS expired_before
    )
    INSERT INTO throttle_buckets AS b (key, count, window_start) SELECT ${input.key}, 1, t.now FROM t
    ON CONFLICT (key) DO UPDATE SET
      count = CASE WHEN b.window_start <= (SELECT expired_before FROM t) THEN 1 ELSE b.count + 1 END,
      window_start = CASE WHEN b.window_start <= (SELECT expired_before FROM t) THEN (SELECT now FROM t) ELSE b.window_start END
    RETURNING b.count, (extract(epoch FROM b.window_start) * 1000)::float8 AS window_start_ms`
  const row = rows[0]
  if (!row) throw new Error('throttle upsert returned no row')
  return { count: Number(row.count), windowStart: new Date(Number(row.window_start_ms)) }
}

export function deleteThrottleBucket(db: DbClient, key: string) {
  return db.throttleBucket.deleteMany({ where: { key } })
}

/** Drops windows that ended before `before` (housekeeping; counters are correct without it). */
export function deleteStaleThrottleBuckets(db: DbClient, before: Date) {
  return db.throttleBucket.deleteMany({ where: { windowStart: { lt: before } } })
}

/** The bucket under `key` without counting anything (null when there is none). */
export function findThrottleBucket(db: DbClient, key: string) {
  return db.throttleBucket.findUnique({ where: { key }, select: { count: true, windowStart: true } })
}
