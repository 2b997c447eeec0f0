import type { DbClient, Prisma, Role } from '../lib/db.server.ts'

export function teamSlugExists(db: DbClient, slug: string) {
  return db.team.count({ where: { slug } }).then((n) => n > 0)
}

/** Slugs equal to `base` or starting with `base-` (to find the next free suffix). */
export async function listSlugsStartingWith(db: DbClient, base: string): Promise<string[]> {
  const rows = await db.team.findMany({
    where: { OR: [{ slug: base }, { slug: { startsWith: `${base}-` } }] },
    select: { slug: true },
  })
  return rows.map((r) => r.slug)
}

export function createTeam(db: DbClient, data: { id: string; name: string; slug: string }) {
  return db.team.create({ data, select: { id: true, name: true, slug: true } })
}

export function createMembership(db: DbClient, data: { id: string; teamId: string; userId: string; role: Role }) {
  return db.membership.create({ data, select: { id: true, teamId: true, role: true } })
}

/** A user's memberships, oldest first (the first is the default team). */
export function listMembershipsOfUser(db: DbClient, userId: string) {
  return db.membership.findMany({
    where: { userId },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    select: { role: true, team: { select: { id: true, name: true, slug: true } } },
  })
}

/** Every team, for the snapshot compiler (the one cross-team reader). */
export function listAllTeamsForSnapshot(db: DbClient) {
  return db.team.findMany({ orderBy: { id: 'asc' }, select: { id: true, slug: true } })
}

export function countTeams(db: DbClient) {
  return db.team.count()
}

const TEAM_SELECT = { id: true, name: true, slug: true, createdAt: true, updatedAt: true } as const

export type TeamRow = Prisma.TeamGetPayload<{ select: typeof TEAM_SELECT }>

export function getTeam(db: DbClient, id: string) {
  return db.team.findUnique({ where: { id }, select: TEAM_SELECT })
}

export function renameTeam(db: DbClient, id: string, name: string) {
  return db.team.update({ where: { id }, data: { name }, select: TEAM_SELECT })
}

/** Deletes the team and, by cascade, everything it owns (memberships, tokens, keys, logs, audit). */
export async function deleteTeam(db: DbClient, id: string): Promise<boolean> {
  const { count } = await db.team.deleteMany({ where: { id } })
  return count === 1
}

/** The user's membership in the team with `slug`, or null (also when the team exists but they are not in it). */
export function findMembershipByTeamSlug(db: DbClient, userId: string, slug: string) {
  return db.membership.findFirst({
    where: { userId, team: { slug } },
    select: { role: true, team: { select: { id: true, name: true, slug: true } } },
  })
}

