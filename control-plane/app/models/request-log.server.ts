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

/** What a log listing may be narrowed to; every filter is ANDed with the team and the time range. */
export interface RequestLogFilter {
  from?: Date | undefined
  to?: Date | undefined
  /** An exact HTTP status, or a class: 2 → 2xx, 4 → 4xx, 5 → 5xx. */
  status?: number | undefined
  outcome?: string | undefined
  model?: string | undefined
  provider?: string | undefined
  virtualKeyId?: string | undefined
}

function statusWhere(status: number | undefined): Prisma.RequestLogWhereInput {
  if (status === undefined) return {}
  if (status >= 1 && status <= 5) return { status: { gte: status * 100, lt: status * 100 + 100 } }
  return { status }
}

/** Team-scoped, served by the (team_id, created_at) index: filters narrow that range scan. */
export function requestLogWhere(teamId: string, filter: RequestLogFilter = {}): Prisma.RequestLogWhereInput {
  const createdAt = filter.from || filter.to ? { ...(filter.from ? { gte: filter.from } : {}), ...(filter.to ? { lt: filter.to } : {}) } : undefined
  return {
    teamId,
    ...(createdAt ? { createdAt } : {}),
    ...statusWhere(filter.status),
    ...(filter.outcome ? { outcome: filter.outcome } : {}),
    ...(filter.model ? { model: filter.model } : {}),
    ...(filter.provider ? { provider: filter.provider } : {}),
    ...(filter.virtualKeyId ? { virtualKeyId: filter.virtualKeyId } : {}),
  }
}

export function listRequestLogs(db: DbClient, teamId: string, page: PageRequest, filter: RequestLogFilter = {}) {
  return db.requestLog.findMany({
    where: { AND: [requestLogWhere(teamId, filter), afterCursor(page.cursor)] },
    orderBy: NEWEST_FIRST,
    take: page.limit + 1,
    select: PUBLIC_SELECT,
  })
}

/** One log with the stored event (usage details, attempts, upstream ids) for the detail page. */
export function getRequestLogDetail(db: DbClient, teamId: string, id: string) {
  return db.requestLog.findFirst({ where: { id, teamId }, select: { ...PUBLIC_SELECT, event: true } })
}

/** The values the console's filter menus offer: the team's virtual keys (revoked too) and connections. */
export async function requestLogFilterOptions(db: DbClient, teamId: string) {
  const [keys, providers] = await Promise.all([
    db.virtualKey.findMany({ where: { teamId }, orderBy: { createdAt: 'desc' }, take: 500, select: { id: true, name: true, keyHint: true, revokedAt: true } }),
    db.providerConnection.findMany({ where: { teamId }, orderBy: { name: 'asc' }, take: 500, select: { name: true } }),
  ])
  return { keys, providers: providers.map((p) => p.name) }
}

/** Idempotent on redelivery: request_id is unique, duplicates are skipped. */
export async function insertRequestLogs(db: DbClient, rows: Prisma.RequestLogCreateManyInput[]): Promise<number> {
  if (rows.length === 0) return 0
  const { count } = await db.requestLog.createMany({ data: rows, skipDuplicates: true })
  return count
}
