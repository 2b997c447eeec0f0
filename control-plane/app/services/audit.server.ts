import type { Db } from '../lib/db.server.ts'
import { type Page, type PageRequest, toPage } from '../lib/pagination.server.ts'
import { type AuditEventRow, auditActorNames, listAuditActions, listAuditEvents } from '../models/audit-event.server.ts'
import { type Actor, requirePermission } from './admin-auth.server.ts'

// The team's audit trail, read by the admin API and the console. Audit details never hold
// secrets: writers record names, roles, types and four-character hints only.

export type AuditEventView = AuditEventRow

export async function listAuditTrail(
  deps: { db: Db },
  actor: Actor,
  page: PageRequest,
  filter: { action?: string | undefined } = {},
): Promise<Page<AuditEventView>> {
  requirePermission(actor, 'audit.read')
  return toPage(await listAuditEvents(deps.db, actor.teamId, page, filter), page.limit, (row) => row)
}

export interface AuditEntryView extends AuditEventView {
  /** The member's email, or the admin token's name (with the member's email) that acted. */
  actorLabel: string | null
  actorKind: 'user' | 'token' | null
}

/** The console's page of the trail: the events with who acted, and the action types to filter by. */
export async function auditTrailPage(
  deps: { db: Db },
  actor: Actor,
  input: { page: PageRequest; action?: string | undefined },
): Promise<Page<AuditEntryView> & { actions: string[] }> {
  const result = await listAuditTrail(deps, actor, input.page, { action: input.action })
  const userIds = [...new Set(result.data.flatMap((e) => (e.actorUserId ? [e.actorUserId] : [])))]
  const tokenIds = [...new Set(result.data.flatMap((e) => (e.actorToken ? [e.actorToken] : [])))]
  const [names, actions] = await Promise.all([auditActorNames(deps.db, actor.teamId, { userIds, tokenIds }), listAuditActions(deps.db, actor.teamId)])
  const data = result.data.map((e): AuditEntryView => {
    const email = e.actorUserId ? (names.users.get(e.actorUserId) ?? 'a former member') : null
    if (e.actorToken) return { ...e, actorKind: 'token', actorLabel: `${names.tokens.get(e.actorToken) ?? 'an API token'}${email ? ` (${email})` : ''}` }
    return { ...e, actorKind: email ? 'user' : null, actorLabel: email }
  })
  return { data, nextCursor: result.nextCursor, actions }
}
