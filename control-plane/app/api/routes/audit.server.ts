import { type AuditEventView, listAuditTrail } from '../../services/audit.server.ts'
import { asJsonObject, json, parseQuery } from '../http.server.ts'
import type { RouteContext } from '../router.server.ts'
import { type AuditEventResource, ListQuery } from '../schemas.ts'

export function toAuditEventResource(row: AuditEventView): AuditEventResource {
  return {
    id: row.id,
    action: row.action,
    targetType: row.targetType,
    targetId: row.targetId,
    actorUserId: row.actorUserId,
    actorTokenId: row.actorToken,
    details: asJsonObject(row.details),
    createdAt: row.createdAt.toISOString(),
  }
}

export async function listAuditEvents({ services, actor, url }: RouteContext) {
  const page = parseQuery(url, ListQuery)
  const result = await listAuditTrail(services, actor, { limit: page.limit, cursor: page.cursor ?? null })
  return json({ data: result.data.map(toAuditEventResource), nextCursor: result.nextCursor })
}
