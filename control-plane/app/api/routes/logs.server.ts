import { ApiError } from '@switchyard/shared/errors'
import type { RequestOutcome } from '@switchyard/shared/events'
import { toPage } from '../../lib/pagination.server.ts'
import { getRequestLog, listRequestLogs, type RequestLogRow } from '../../models/request-log.server.ts'
import { json, parseQuery } from '../http.server.ts'
import type { RouteContext } from '../router.server.ts'
import { ListQuery, type RequestLogResource } from '../schemas.ts'

export function toRequestLogResource(row: RequestLogRow): RequestLogResource {
  return {
    ...row,
    createdAt: row.createdAt.toISOString(),
    outcome: row.outcome as RequestOutcome,
    costUsd: row.costUsd === null ? null : row.costUsd.toFixed(),
  }
}

export async function listLogs({ services, actor, url }: RouteContext) {
  const page = parseQuery(url, ListQuery)
  const rows = await listRequestLogs(services.db, actor.teamId, { limit: page.limit, cursor: page.cursor ?? null })
  return json(toPage(rows, page.limit, toRequestLogResource))
}

export async function getLog({ services, actor, params }: RouteContext) {
  const row = await getRequestLog(services.db, actor.teamId, params.id ?? '')
  if (!row) throw new ApiError('not_found', 'request log not found')
  return json(toRequestLogResource(row))
}
