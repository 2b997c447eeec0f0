import { newId } from '@switchyard/shared/ids'
import type { DbClient, Prisma } from '../lib/db.server.ts'
import { afterCursor, NEWEST_FIRST, type PageRequest } from '../lib/pagination.server.ts'

export interface AuditEntry {
  teamId: string
  actorUserId: string | null
  actorTokenId: string | null
  action: string
  targetType: string
  targetId: string | null
  /** Never secrets: names, types, hints. */
  details?: Prisma.InputJsonObject
}

export function recordAuditEvent(db: DbClient, entry: AuditEntry) {
  return db.auditEvent.create({
    data: {
      id: newId('audit'),
      teamId: entry.teamId,
      actorUserId: entry.actorUserId,
      actorToken: entry.actorTokenId,
      action: entry.action,
      targetType: entry.targetType,
      targetId: entry.targetId,
      details: entry.details ?? {},
    },
    select: { id: true },
  })
}

export function listAuditEventsOfTeam(db: DbClient, teamId: string) {
  return db.auditEvent.findMany({
    where: { teamId },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    select: { id: true, action: true, targetType: true, targetId: true, details: true, createdAt: true },
  })
}

const AUDIT_PUBLIC_SELECT = {
  id: true,
  action: true,
  targetType: true,
  targetId: true,
  actorUserId: true,
  actorToken: true,
  details: true,
  createdAt: true,
} as const

export type AuditEventRow = Prisma.AuditEventGetPayload<{ select: typeof AUDIT_PUBLIC_SELECT }>

/** A team's audit trail, newest first, keyset-paginated; optionally one action type (or prefix "member."). */
export function listAuditEvents(db: DbClient, teamId: string, page: PageRequest, filter: { action?: string | undefined } = {}) {
  const action = filter.action ? (filter.action.endsWith('.') ? { startsWith: filter.action } : filter.action) : undefined
  return db.auditEvent.findMany({
    where: { AND: [{ teamId, ...(action ? { action } : {}) }, afterCursor(page.cursor)] },
    orderBy: NEWEST_FIRST,
    take: page.limit + 1,
    select: AUDIT_PUBLIC_SELECT,
  })
}

/** The action types a team's trail holds (for the console's filter). */
export async function listAuditActions(db: DbClient, teamId: string): Promise<string[]> {
  const rows = await db.auditEvent.findMany({ where: { teamId }, distinct: ['action'], select: { action: true }, orderBy: { action: 'asc' } })
  return rows.map((r) => r.action)
}

/** Who acted: user emails and admin-token names by id (scoped to the team's tokens). */
export async function auditActorNames(db: DbClient, teamId: string, ids: { userIds: string[]; tokenIds: string[] }) {
  const [users, tokens] = await Promise.all([
    ids.userIds.length ? db.user.findMany({ where: { id: { in: ids.userIds } }, select: { id: true, email: true } }) : [],
    ids.tokenIds.length ? db.adminToken.findMany({ where: { teamId, id: { in: ids.tokenIds } }, select: { id: true, name: true } }) : [],
  ])
  return { users: new Map(users.map((u) => [u.id, u.email])), tokens: new Map(tokens.map((t) => [t.id, t.name])) }
}
