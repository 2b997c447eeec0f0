import { ApiError } from '@switchyard/shared/errors'
import type { RequestOutcome } from '@switchyard/shared/events'
import { toPage } from '../../lib/pagination.server.ts'
import { getRequestLog, listRequestLogs, type RequestLogRow } from '../../models/request-log.server.ts'
import { json, parseQuery } from '../http.server.ts'
import type { RouteContext } from '../router.server.ts'
import { LogListQuery, type RequestLogResource } from '../schemas.ts'

export function toRequestLogResource(row: RequestLogRow): RequestLogResource {
  return {
    ...row,
    createdAt: row.createdAt.toISOString(),
    outcome: row.outcome as RequestOutcome,
    costUsd: row.costUsd === null ? null : row.costUsd.toFixed(),
  }
}

export async function listLogs({ services, actor, url }: RouteContext) {
  const { limit, cursor, from, to, ...filter } = parseQuery(url, LogListQuery)
  const range = { from: from ? new Date(from) : undefined, to: to ? new Date(to) : undefined }
  const rows = await listRequestLogs(services.db, actor.teamId, { limit, cursor: cursor ?? null }, { ...filter, ...range })
  return json(toPage(rows, limit, toRequestLogResource))
}

export async function getLog({ services, actor, params }: RouteContext) {
  const row = await getRequestLog(services.db, actor.teamId, params.id ?? '')
  if (!row) throw new ApiError('not_found', 'request log not found')
  return json(toRequestLogResource(row))
}
