import { hostname } from 'node:os'
import { RequestLogEvent } from '@switchyard/shared/events'
import type { Infra, LogStreamEntry } from '@switchyard/shared/infra'
import { dbErrorCode } from '../lib/db-error-kind.server.ts'
import type { Db } from '../lib/db.server.ts'
import { LAST_USED_RESOLUTION_MS, recordVirtualKeyUse } from '../models/virtual-key.server.ts'
import { type RequestLogRow, storeRequestLogs, toRequestLogRow } from './request-log-store.server.ts'

// Moves request-log events from the `logs` stream into request_logs, losing none silently
// (RELIABILITY-AND-SECURITY.md §0 rule 11). At-least-once: a batch is acked only once every
// row of it is stored or known unstorable; request_id is unique, so a redelivered event is
// skipped rather than counted twice (G-REL-03). While the database is unavailable the loop
// keeps the batch it holds and retries it with capped, jittered exponential back-off, reading
// nothing new, so an outage delays rows and loses none (G-REL-04). An event that can never be
// stored (not JSON, not an event, refused by the database for its data alone) is dropped,
// counted in stats().dropped and logged with its request id.

export interface IngesterOptions {
  db: Db
  infra: Infra
  consumer?: string
  count?: number
  blockMs?: number
  claimIdleMs?: number
  /** First back-off after a failure (database or stream down); doubles per failure up to maxRetryMs. */
  retryMs?: number
  maxRetryMs?: number
  log?: (message: string) => void
  /** Remembers when each key's lastUsedAt was last written, to skip writes within a minute. */
  lastUsed?: LastUsedTracker
}

export interface IngesterStats {
  /** Rows written to request_logs (redelivered duplicates not included). */
  inserted: number
  /** Events dropped because they can never be stored; each one was logged with its request id. */
  dropped: number
  /** Attempts that failed for the database or the stream being unavailable; their batch was kept. */
  failedAttempts: number
}

export interface UsageIngester {
  /** Resolves once the loop has ended; a batch it still held stays pending in the stream. */
  stop(): Promise<void>
  stats(): IngesterStats
}

export const newIngesterStats = (): IngesterStats => ({ inserted: 0, dropped: 0, failedAttempts: 0 })

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
async function touchLastUsed(db: Db, rows: RequestLogRow[], tracker: LastUsedTracker | undefined, log: (m: string) => void) {
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

interface Drop {
  what: string
  reason: string
}

/** Quoted (JSON escapes any control character: no forged log lines) and bounded. */
const quoted = (text: string) => JSON.stringify(text.slice(0, 200))
const requestOf = (requestId: string, teamId: string) => `request ${quoted(requestId)} of team ${quoted(teamId)}`

/** The request id of a payload that is JSON but not a valid event, when it has one. */
function entryName(entry: LogStreamEntry, json: unknown): string {
  const requestId = typeof json === 'object' && json !== null && 'requestId' in json ? json.requestId : undefined
  return typeof requestId === 'string' ? `request ${quoted(requestId)} (entry ${entry.id})` : `entry ${entry.id}`
}

function parseEntries(entries: LogStreamEntry[]): { rows: RequestLogRow[]; drops: Drop[] } {
  const rows: RequestLogRow[] = []
  const drops: Drop[] = []
  for (const entry of entries) {
    let json: unknown
    try {
      json = JSON.parse(entry.payload)
    } catch {
      drops.push({ what: `entry ${entry.id}`, reason: 'not JSON' })
      continue
    }
    const parsed = RequestLogEvent.safeParse(json)
    if (!parsed.success) {
      drops.push({ what: entryName(entry, json), reason: parsed.error.issues[0]?.message ?? 'invalid event' })
      continue
    }
    rows.push(toRequestLogRow(parsed.data))
  }
  return { rows, drops }
}

type IngestContext = IngesterOptions & { consumer: string; log: (m: string) => void; stats: IngesterStats }

function readBatch(options: IngesterOptions & { consumer: string }): Promise<LogStreamEntry[]> {
  return options.infra.logs.read({
    consumer: options.consumer,
    // Stream entries, not events: each is a data plane's batch of up to a few hundred events.
    count: options.count ?? 16,
    blockMs: options.blockMs ?? 1000,
    claimIdleMs: options.claimIdleMs ?? 30_000,
  })
}

/**
 * Stores the events of `entries`, then acks them and reports the drops. Throws, with nothing
 * acked, when the database or the stream is unavailable: the caller retries the same entries.
 */
async function ingestEntries(ctx: IngestContext, entries: LogStreamEntry[]): Promise<number> {
  const { rows, drops } = parseEntries(entries)
  const stored = await storeRequestLogs(ctx.db, rows)
  const unstorable = new Set(stored.dropped.map((d) => d.requestId))
  await touchLastUsed(ctx.db, unstorable.size > 0 ? rows.filter((r) => !unstorable.has(r.requestId)) : rows, ctx.lastUsed, ctx.log)
  await ctx.infra.logs.ack(entries.map((e) => e.id))
  // Counted once acked: a retried batch would otherwise report its bad rows again.
  for (const d of stored.dropped) drops.push({ what: requestOf(d.requestId, d.teamId), reason: d.reason })
  ctx.stats.inserted += stored.inserted
  ctx.stats.dropped += drops.length
  for (const d of drops) ctx.log(`usage ingester: dropped ${d.what}: ${d.reason}`)
  return stored.inserted
}

/** One batch: read, store, ack. Exported for tests; the loop below runs it until stopped. */
export async function ingestOnce(options: IngesterOptions & { consumer: string; stats?: IngesterStats }): Promise<number> {
  const log = options.log ?? ((m: string) => process.stderr.write(`${m}\n`))
  const entries = await readBatch(options)
  if (entries.length === 0) return 0
  return ingestEntries({ ...options, log, stats: options.stats ?? newIngesterStats() }, entries)
}

/** Exponential back-off, capped, with "equal jitter": between half and all of the step. */
export function retryDelayMs(failures: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const step = Math.min(maxMs, baseMs * 2 ** Math.min(failures - 1, 20))
  return Math.round(step / 2 + (random() * step) / 2)
}

/** The last line of an error's message (Prisma's start with a code excerpt), bounded. */
function summary(err: unknown): string {
  const lines = String(err instanceof Error ? err.message : err).trim().split('\n')
  return (lines[lines.length - 1] ?? '').trim().slice(0, 200)
}

export function startUsageIngester(options: IngesterOptions): UsageIngester {
  const consumer = options.consumer ?? `cp-${hostname()}-${process.pid}`
  const log = options.log ?? ((m: string) => process.stderr.write(`${m}\n`))
  const ctx: IngestContext = { ...options, consumer, log, lastUsed: options.lastUsed ?? createLastUsedTracker(), stats: newIngesterStats() }
  const baseMs = options.retryMs ?? 250
  const maxMs = options.maxRetryMs ?? 5_000
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
    // The batch being stored: kept across failures, so an outage never skips past it.
    let held: LogStreamEntry[] | null = null
    let failures = 0
    let failingSince = 0
    while (running) {
      try {
        held ??= await readBatch(ctx)
        if (held.length > 0) await ingestEntries(ctx, held)
        held = null
        if (failures > 0) log(`usage ingester: storing again after ${failures} failed attempts over ${Math.round((Date.now() - failingSince) / 1000)} s`)
        failures = 0
      } catch (err) {
        if (!running) break
        if (failures++ === 0) failingSince = Date.now()
        ctx.stats.failedAttempts++
        if (failures === 1 || failures % 20 === 0) {
          const what = held ? `keeping ${held.length} events pending` : 'cannot read the log stream'
          log(`usage ingester: ${what} (${dbErrorCode(err)}: ${summary(err)}); retry ${failures}, with back-off`)
        }
        await pause(retryDelayMs(failures, baseMs, maxMs))
      }
    }
  })()

  return {
    async stop() {
      running = false
      wake?.()
      await loop
    },
    stats: () => ({ ...ctx.stats }),
  }
}
