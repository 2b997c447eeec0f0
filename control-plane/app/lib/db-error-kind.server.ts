// Which database failures are worth waiting out and which are about the data sent. The usage
// ingester retries the first (the database is restarting, unreachable, overloaded) without
// ever acknowledging, and splits a batch on the second to find the rows no retry can store.
// Anything not known to be about the data counts as transient: a wrongly kept batch costs a
// delay, a wrongly dropped row is lost — so a missing table or a permission error stalls the
// ingest (loudly) instead of discarding every row.

export type DbErrorKind = 'transient' | 'data'

/** SQLSTATE classes about the values of a row: data exception, integrity constraint, program limit (index row too big). */
const DATA_SQLSTATE_CLASSES = new Set(['22', '23', '54'])

/**
 * Prisma's codes for a value it or the database refused (too long, out of range, invalid, null
 * in a required column, foreign key) — used when the database's own SQLSTATE is not attached.
 */
const DATA_PRISMA_CODES = new Set(['P2000', 'P2003', 'P2005', 'P2006', 'P2007', 'P2011', 'P2012', 'P2019', 'P2020', 'P2023', 'P2033'])

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null && key in value ? (value as Record<string, unknown>)[key] : undefined
}

function isPrismaError(err: unknown): boolean {
  const name = field(err, 'name')
  return typeof name === 'string' && name.startsWith('PrismaClient')
}

/** The PostgreSQL SQLSTATE behind an error: through Prisma's driver adapter, or from pg itself. */
export function sqlStateOf(err: unknown): string | null {
  const original = field(field(field(field(err, 'meta'), 'driverAdapterError'), 'cause'), 'originalCode')
  if (typeof original === 'string') return original
  const code = field(err, 'code')
  if (!isPrismaError(err) && typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code
  return null
}

/** A short, value-free code for log lines: the SQLSTATE, else Prisma's code, else the error's name. */
export function dbErrorCode(err: unknown): string {
  const code = field(err, 'code')
  const name = field(err, 'name')
  return sqlStateOf(err) ?? (typeof code === 'string' ? code : typeof name === 'string' ? name : 'unknown')
}

export function dbErrorKind(err: unknown): DbErrorKind {
  const state = sqlStateOf(err)
  if (state !== null) return DATA_SQLSTATE_CLASSES.has(state.slice(0, 2)) ? 'data' : 'transient'
  if (field(err, 'name') === 'PrismaClientValidationError') return 'data'
  const code = field(err, 'code')
  return isPrismaError(err) && typeof code === 'string' && DATA_PRISMA_CODES.has(code) ? 'data' : 'transient'
}
