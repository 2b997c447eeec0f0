import type { DbClient, Prisma, Role } from '../lib/db.server.ts'
import { afterCursor, NEWEST_FIRST, type PageRequest } from '../lib/pagination.server.ts'

// Memberships of one team (creation and a user's own list live in team.server.ts).

const MEMBER_SELECT = {
  id: true,
  role: true,
  createdAt: true,
  user: { select: { id: true, email: true, name: true } },
} as const

export type MemberRow = Prisma.MembershipGetPayload<{ select: typeof MEMBER_SELECT }>

export function findMembership(db: DbClient, teamId: string, userId: string) {
  return db.membership.findUnique({
    where: { teamId_userId: { teamId, userId } },
    select: MEMBER_SELECT,
  })
}

/** Newest members first, keyset-paginated on the membership's (createdAt, id). */
export function listMembersOfTeam(db: DbClient, teamId: string, page: PageRequest) {
  return db.membership.findMany({
    where: { teamId, ...afterCursor(page.cursor) },
    orderBy: NEWEST_FIRST,
    take: page.limit + 1,
    select: MEMBER_SELECT,
  })
}

export function findOwnerMembership(db: DbClient, teamId: string) {
  return db.membership.findFirst({ where: { teamId, role: 'owner' }, select: { userId: true } })
}

/** Sets the role only while the member still holds `from` (optimistic check): true when changed. */
export async function changeMembershipRole(
  db: DbClient,
  target: { teamId: string; userId: string },
  change: { from: Role; to: Role },
): Promise<boolean> {
  const { count } = await db.membership.updateMany({
    where: { teamId: target.teamId, userId: target.userId, role: change.from },
    data: { role: change.to },
  })
  return count === 1
}

/** Deletes the membership while it still holds `role`: true when deleted. */
export async function deleteMembership(db: DbClient, target: { teamId: string; userId: string; role: Role }): Promise<boolean> {
  const { count } = await db.membership.deleteMany({ where: target })
  return count === 1
}

export function countMembers(db: DbClient, teamId: string) {
  return db.membership.count({ where: { teamId } })
}
