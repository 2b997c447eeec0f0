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

/** A team's audit trail, newest first, keyset-paginated. */
export function listAuditEvents(db: DbClient, teamId: string, page: PageRequest) {
  return db.auditEvent.findMany({
    where: { teamId, ...afterCursor(page.cursor) },
    orderBy: NEWEST_FIRST,
    take: page.limit + 1,
    select: AUDIT_PUBLIC_SELECT,
  })
}
