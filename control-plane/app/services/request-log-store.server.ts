import { type RequestLogEvent, storableJson } from '@switchyard/shared/events'
import { newId } from '@switchyard/shared/ids'
import { dbErrorCode, dbErrorKind, sqlStateOf } from '../lib/db-error-kind.server.ts'
import type { Db, Prisma } from '../lib/db.server.ts'
import { insertRequestLogs } from '../models/request-log.server.ts'

// Request-log rows into Postgres so that one bad row never costs the others. A batch is one
// INSERT (all or nothing); when the database refuses it for its data, the batch is halved until
// each refused row stands alone, every storable row lands, and only a row no retry can store
// is dropped — returned with its request id for the caller to count and report. A transient
// failure (database down) is thrown at once: the caller keeps the batch and retries it, and
// request_id's uniqueness makes the retry skip whatever had already landed.

export type RequestLogRow = Prisma.RequestLogCreateManyInput

export interface DroppedRow {
  requestId: string
  teamId: string
  reason: string
}

const INT4_MAX = 2_147_483_647
/** cost_usd is DECIMAL(18, 9): nine digits before the point. */
const FITS_COST_COLUMN = /^\d{1,9}(\.\d+)?$/

const int4OrNull = (n: number | null | undefined) => (n !== null && n !== undefined && n <= INT4_MAX ? n : null)

/**
 * The row for an event, storable whatever the event holds: strings cleaned again (events may
 * come from an older or foreign producer), and a number too big for its column left out of
 * the column (the stored event keeps it) instead of costing the row.
 */
export function toRequestLogRow(raw: RequestLogEvent): RequestLogRow {
  const event = storableJson(raw)
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
    latencyMs: Math.min(event.latencyMs, INT4_MAX),
    ttftMs: int4OrNull(event.ttftMs),
    promptTokens: int4OrNull(event.usage?.promptTokens),
    completionTokens: int4OrNull(event.usage?.completionTokens),
    costUsd: event.costUsd !== null && FITS_COST_COLUMN.test(event.costUsd) ? event.costUsd : null,
    errorCode: event.errorCode,
    event: event as unknown as Prisma.InputJsonObject,
    createdAt: new Date(event.createdAt),
  }
}

function dropReason(row: RequestLogRow, err: unknown): string {
  const code = dbErrorCode(err)
  return sqlStateOf(err) === '23503' || code === 'P2003' ? `team ${JSON.stringify(row.teamId)} does not exist (${code})` : `cannot be stored (${code})`
}

export interface StoreResult {
  inserted: number
  /** Rows the database refused for their data, alone: never storable, whatever the retry. */
  dropped: DroppedRow[]
}

/** Throws only a transient error; then nothing is dropped and the whole batch may be retried. */
export async function storeRequestLogs(db: Db, rows: RequestLogRow[]): Promise<StoreResult> {
  const result: StoreResult = { inserted: 0, dropped: [] }
  await store(db, rows, result)
  return result
}

async function store(db: Db, rows: RequestLogRow[], result: StoreResult): Promise<void> {
  if (rows.length === 0) return
  try {
    result.inserted += await insertRequestLogs(db, rows)
    return
  } catch (err) {
    if (dbErrorKind(err) === 'transient') throw err
    if (rows.length === 1) {
      const [row] = rows as [RequestLogRow]
      result.dropped.push({ requestId: row.requestId, teamId: row.teamId, reason: dropReason(row, err) })
      return
    }
  }
  // Halving finds k bad rows among n in about 2·k·log2(n) inserts; the rest land in bulk.
  const half = Math.ceil(rows.length / 2)
  await store(db, rows.slice(0, half), result)
  await store(db, rows.slice(half), result)
}
