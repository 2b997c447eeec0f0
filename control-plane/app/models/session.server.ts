import type { DbClient } from '../lib/db.server.ts'

// Sessions (lucia-guide style): `id` is the SHA-256 hex of the token the browser holds.

const SESSION_SELECT = {
  id: true,
  userId: true,
  createdAt: true,
  lastActiveAt: true,
  expiresAt: true,
  absoluteExpiresAt: true,
  activeTeamId: true,
  ip: true,
  userAgent: true,
} as const

export interface NewSession {
  id: string
  userId: string
  expiresAt: Date
  absoluteExpiresAt: Date
  createdAt: Date
  ip: string | null
  userAgent: string | null
  activeTeamId: string | null
}

export function createSessionRow(db: DbClient, data: NewSession) {
  return db.session.create({ data: { ...data, lastActiveAt: data.createdAt }, select: SESSION_SELECT })
}

export function findSessionWithUser(db: DbClient, id: string) {
  return db.session.findUnique({
    where: { id },
    select: { ...SESSION_SELECT, user: { select: { id: true, email: true, name: true, emailVerifiedAt: true } } },
  })
}

export function extendSession(db: DbClient, id: string, data: { expiresAt: Date; lastActiveAt: Date }) {
  return db.session.update({ where: { id }, data, select: { id: true } })
}

export function setSessionActiveTeam(db: DbClient, id: string, activeTeamId: string) {
  return db.session.updateMany({ where: { id }, data: { activeTeamId } })
}

export function deleteSession(db: DbClient, id: string) {
  return db.session.deleteMany({ where: { id } })
}

/** Every session of a user, or every one but `exceptId` (password change keeps the current one). */
export function deleteSessionsOfUser(db: DbClient, userId: string, exceptId?: string) {
  return db.session.deleteMany({ where: { userId, ...(exceptId ? { id: { not: exceptId } } : {}) } })
}

/** A user's live sessions, most recently active first. */
export function listLiveSessionsOfUser(db: DbClient, userId: string, now: Date) {
  return db.session.findMany({
    where: { userId, expiresAt: { gt: now }, absoluteExpiresAt: { gt: now } },
    orderBy: { lastActiveAt: 'desc' },
    select: SESSION_SELECT,
  })
}
