import type { DbClient, Prisma } from '../lib/db.server.ts'
import { afterCursor, NEWEST_FIRST, type PageRequest } from '../lib/pagination.server.ts'

const PUBLIC_SELECT = {
  id: true,
  requestId: true,
  createdAt: true,
  virtualKeyId: true,
  provider: true,
  model: true,
  endpoint: true,
  stream: true,
  status: true,
  outcome: true,
  latencyMs: true,
  ttftMs: true,
  promptTokens: true,
  completionTokens: true,
  costUsd: true,
  errorCode: true,
} as const

export type RequestLogRow = Prisma.RequestLogGetPayload<{ select: typeof PUBLIC_SELECT }>

export function getRequestLog(db: DbClient, teamId: string, id: string) {
  return db.requestLog.findFirst({ where: { id, teamId }, select: PUBLIC_SELECT })
}

export function listRequestLogs(db: DbClient, teamId: string, page: PageRequest) {
  return db.requestLog.findMany({
    where: { teamId, ...afterCursor(page.cursor) },
    orderBy: NEWEST_FIRST,
    take: page.limit + 1,
    select: PUBLIC_SELECT,
  })
}

/** Idempotent on redelivery: request_id is unique, duplicates are skipped. */
export async function insertRequestLogs(db: DbClient, rows: Prisma.RequestLogCreateManyInput[]): Promise<number> {
  if (rows.length === 0) return 0
  const { count } = await db.requestLog.createMany({ data: rows, skipDuplicates: true })
  return count
}
