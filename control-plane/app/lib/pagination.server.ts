import { ApiError } from '@switchyard/shared/errors'

// Keyset pagination, newest first: the cursor is the (createdAt, id) of the last item served,
// opaque to clients (base64url JSON).

export interface PageRequest {
  limit: number
  cursor: string | null
}

export interface Page<T> {
  data: T[]
  nextCursor: string | null
}

interface CursorPosition {
  createdAt: Date
  id: string
}

export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(JSON.stringify({ t: position.createdAt.toISOString(), i: position.id })).toString('base64url')
}

export function decodeCursor(cursor: string): CursorPosition {
  try {
    const raw: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
    if (typeof raw === 'object' && raw !== null && 't' in raw && 'i' in raw) {
      const { t, i } = raw as { t: unknown; i: unknown }
      const createdAt = new Date(String(t))
      if (typeof i === 'string' && !Number.isNaN(createdAt.getTime())) return { createdAt, id: i }
    }
  } catch {
    // fall through
  }
  throw new ApiError('validation_failed', 'invalid cursor', [{ path: 'cursor', message: 'not a cursor this API issued' }])
}

/** The Prisma `where` fragment selecting rows strictly after the cursor in newest-first order. */
export function afterCursor(cursor: string | null) {
  if (!cursor) return {}
  const { createdAt, id } = decodeCursor(cursor)
  return { OR: [{ createdAt: { lt: createdAt } }, { createdAt, id: { lt: id } }] }
}

export const NEWEST_FIRST = [{ createdAt: 'desc' as const }, { id: 'desc' as const }]

/** Callers fetch limit + 1 rows; the extra one tells whether a next page exists. */
export function toPage<T extends CursorPosition, R>(rows: T[], limit: number, map: (row: T) => R): Page<R> {
  const items = rows.slice(0, limit)
  const last = items.at(-1)
  return { data: items.map(map), nextCursor: rows.length > limit && last ? encodeCursor(last) : null }
}
