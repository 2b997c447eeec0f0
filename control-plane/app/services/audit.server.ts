import type { Db } from '../lib/db.server.ts'
import { type Page, type PageRequest, toPage } from '../lib/pagination.server.ts'
import { type AuditEventRow, listAuditEvents } from '../models/audit-event.server.ts'
import { type Actor, requirePermission } from './admin-auth.server.ts'

// The team's audit trail, read by the admin API and the console. Audit details never hold
// secrets: writers record names, roles, types and four-character hints only.

export type AuditEventView = AuditEventRow

export async function listAuditTrail(deps: { db: Db }, actor: Actor, page: PageRequest): Promise<Page<AuditEventView>> {
  requirePermission(actor, 'audit.read')
  return toPage(await listAuditEvents(deps.db, actor.teamId, page), page.limit, (row) => row)
}
