import { hostname } from 'node:os'
import { RequestLogEvent } from '@switchyard/shared/events'
import { newId } from '@switchyard/shared/ids'
import type { Infra, LogStreamEntry } from '@switchyard/shared/infra'
import type { Db, Prisma } from '../lib/db.server.ts'
import { insertRequestLogs } from '../models/request-log.server.ts'
import { LAST_USED_RESOLUTION_MS, recordVirtualKeyUse } from '../models/virtual-key.server.ts'

// Moves request-log events from the `logs` stream into request_logs. At-least-once: entries
// are acked only after the insert commits; request_id is unique, so a redelivered event is
// skipped rather than counted twice. Bad payloads are logged and acked (never retried forever).

export interface IngesterOptions {
  db: Db
  infra: Infra
  consumer?: string
  count?: number
  blockMs?: number
  claimIdleMs?: number
  /** Back-off after a failure (database or stream down). */
  retryMs?: number
  log?: (message: string) => void
  /** Remembers when each key's lastUsedAt was last written, to skip writes within a minute. */
  lastUsed?: LastUsedTracker
}

export interface UsageIngester {
  /** Resolves once the loop has ended. */
  stop(): Promise<void>
}

export function toRequestLogRow(event: RequestLogEvent): Prisma.RequestLogCreateManyInput {
  return {
    id: newId('requestLog'),
    requestId: event.requestId,
    teamId: event.teamId,
    virtualKeyId: event.virtualKeyId,
    provider: event.provider,
    model: event.model,
    endpoint: event.endpoint,
    stream: event.stream,
    status: event.status,
    outcome: event.outcome,
    latencyMs: event.latencyMs,
    ttftMs: event.ttftMs,
    promptTokens: event.usage?.promptTokens ?? null,
    completionTokens: event.usage?.completionTokens ?? null,
    costUsd: event.costUsd,
    errorCode: event.errorCode,
    event: event as unknown as Prisma.InputJsonObject,
    createdAt: new Date(event.createdAt),
  }
}

export interface LastUsedTracker {
  /** Whether a use at `atMs` may move the key's lastUsedAt (a minute after the last write). */
  due(keyId: string, atMs: number): boolean
  mark(keyId: string, atMs: number): void
}

export function createLastUsedTracker(maxKeys = 50_000): LastUsedTracker {
  const written = new Map<string, number>()
  return {
    due: (keyId, atMs) => atMs - (written.get(keyId) ?? -Infinity) >= LAST_USED_RESOLUTION_MS,
    mark(keyId, atMs) {
      if (written.size >= maxKeys) written.clear()
      written.set(keyId, atMs)
    },
  }
}

/**
 * virtual_keys.last_used_at from a batch: one conditional write per key (its newest use), at
 * most once a minute per key (the tracker skips the query, the WHERE clause enforces it across
 * ingesters). Best effort: a failure is logged and never holds the batch back.
 */
async function touchLastUsed(db: Db, rows: Prisma.RequestLogCreateManyInput[], tracker: LastUsedTracker | undefined, log: (m: string) => void) {
  const newest = new Map<string, { teamId: string; at: Date }>()
  for (const row of rows) {
    if (!row.virtualKeyId || !(row.createdAt instanceof Date)) continue
    const seen = newest.get(row.virtualKeyId)
    if (!seen || seen.at < row.createdAt) newest.set(row.virtualKeyId, { teamId: row.teamId, at: row.createdAt })
  }
  for (const [id, use] of newest) {
    if (tracker && !tracker.due(id, use.at.getTime())) continue
    try {
      await recordVirtualKeyUse(db, { id, ...use })
      tracker?.mark(id, use.at.getTime())
    } catch (err) {
      log(`usage ingester: could not record last use of key ${id}: ${(err as Error).message}`)
    }
  }
}

function parseEntries(entries: LogStreamEntry[], log: (m: string) => void): Prisma.RequestLogCreateManyInput[] {
  const rows: Prisma.RequestLogCreateManyInput[] = []
  for (const entry of entries) {
    let json: unknown
    try {
      json = JSON.parse(entry.payload)
    } catch {
      log(`usage ingester: dropping entry ${entry.id}: not JSON`)
      continue
    }
    const parsed = RequestLogEvent.safeParse(json)
    if (!parsed.success) {
      log(`usage ingester: dropping entry ${entry.id}: ${parsed.error.issues[0]?.message ?? 'invalid event'}`)
      continue
    }
    rows.push(toRequestLogRow(parsed.data))
  }
  return rows
}

/** One batch: read, insert, ack. Exported for tests; the loop below calls it forever. */
export async function ingestOnce(options: IngesterOptions & { consumer: string }): Promise<number> {
  const log = options.log ?? ((m: string) => process.stderr.write(`${m}\n`))
  const entries = await options.infra.logs.read({
    consumer: options.consumer,
    // Stream entries, not events: each is a data plane's batch of up to a few hundred events.
    count: options.count ?? 16,
    blockMs: options.blockMs ?? 1000,
    claimIdleMs: options.claimIdleMs ?? 30_000,
  })
  if (entries.length === 0) return 0
  const rows = parseEntries(entries, log)
  const inserted = await insertBatch(options.db, rows, log)
  await touchLastUsed(options.db, rows, options.lastUsed, log)
  await options.infra.logs.ack(entries.map((e) => e.id))
  return inserted
}

function isForeignKeyViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && 'code' in err && (err as { code: unknown }).code === 'P2003'
}

/**
 * Inserts a batch; when a row references a team that no longer exists, inserts row by row and
 * drops only those (a poison row must not block the stream). Any other failure propagates, so
 * the batch stays pending and is retried.
 */
async function insertBatch(db: Db, rows: Prisma.RequestLogCreateManyInput[], log: (m: string) => void): Promise<number> {
  try {
    return await insertRequestLogs(db, rows)
  } catch (err) {
    if (!isForeignKeyViolation(err)) throw err
  }
  let inserted = 0
  for (const row of rows) {
    try {
      inserted += await insertRequestLogs(db, [row])
    } catch (err) {
      if (!isForeignKeyViolation(err)) throw err
      log(`usage ingester: dropping request ${row.requestId}: team ${row.teamId} does not exist`)
    }
  }
  return inserted
}

export function startUsageIngester(options: IngesterOptions): UsageIngester {
  const consumer = options.consumer ?? `cp-${hostname()}-${process.pid}`
  const lastUsed = options.lastUsed ?? createLastUsedTracker()
  const log = options.log ?? ((m: string) => process.stderr.write(`${m}\n`))
  let running = true
  let wake: (() => void) | null = null
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        wake = null
        resolve()
      }, ms)
      wake = () => {
        clearTimeout(timer)
        wake = null
        resolve()
      }
    })

  const loop = (async () => {
    while (running) {
      try {
        await ingestOnce({ ...options, consumer, log, lastUsed })
      } catch (err) {
        if (!running) break
        log(`usage ingester: ${(err as Error).message}; retrying`)
        await pause(options.retryMs ?? 1000)
      }
    }
  })()

  return {
    async stop() {
      running = false
      wake?.()
      await loop
    },
  }
}
