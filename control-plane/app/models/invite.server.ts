import type { DbClient, Prisma, Role } from '../lib/db.server.ts'
import { afterCursor, NEWEST_FIRST, type PageRequest } from '../lib/pagination.server.ts'

// Team invitations. Only the SHA-256 of the emailed token is stored; emails are lowercased.

const PUBLIC_SELECT = {
  id: true,
  email: true,
  role: true,
  invitedById: true,
  expiresAt: true,
  createdAt: true,
} as const

export type InviteRow = Prisma.InviteGetPayload<{ select: typeof PUBLIC_SELECT }>

export function createInvite(
  db: DbClient,
  data: { id: string; teamId: string; email: string; role: Role; tokenHash: string; invitedById: string; expiresAt: Date },
) {
  return db.invite.create({ data, select: PUBLIC_SELECT })
}

function pending(now: Date) {
  return { acceptedAt: null, revokedAt: null, expiresAt: { gt: now } }
}

export function listPendingInvites(db: DbClient, teamId: string, page: PageRequest, now = new Date()) {
  return db.invite.findMany({
    where: { teamId, ...pending(now), ...afterCursor(page.cursor) },
    orderBy: NEWEST_FIRST,
    take: page.limit + 1,
    select: PUBLIC_SELECT,
  })
}

/** Revokes a pending invite of the team: the revoked row, or null when there is none. */
export async function revokePendingInvite(db: DbClient, teamId: string, id: string, now = new Date()) {
  const row = await db.invite.findFirst({ where: { id, teamId, ...pending(now) }, select: PUBLIC_SELECT })
  if (!row) return null
  const { count } = await db.invite.updateMany({ where: { id, teamId, ...pending(now) }, data: { revokedAt: now } })
  return count === 1 ? row : null
}

/** Supersedes every pending invite of `email` in the team (a re-invite sends a fresh link). */
export async function revokePendingInvitesForEmail(db: DbClient, teamId: string, email: string, now = new Date()) {
  const { count } = await db.invite.updateMany({ where: { teamId, email, ...pending(now) }, data: { revokedAt: now } })
  return count
}

/** An invite by token hash, whatever its state, with its team's name for the landing page. */
export function findInviteByTokenHash(db: DbClient, tokenHash: string) {
  return db.invite.findUnique({
    where: { tokenHash },
    select: {
      ...PUBLIC_SELECT,
      teamId: true,
      acceptedAt: true,
      revokedAt: true,
      team: { select: { name: true, slug: true } },
    },
  })
}

/** Marks the invite used if it is still pending: true for exactly one caller. */
export async function claimInvite(db: DbClient, id: string, now = new Date()): Promise<boolean> {
  const { count } = await db.invite.updateMany({ where: { id, ...pending(now) }, data: { acceptedAt: now } })
  return count === 1
}
