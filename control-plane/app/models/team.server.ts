import type { DbClient, Role } from '../lib/db.server.ts'

export function teamSlugExists(db: DbClient, slug: string) {
  return db.team.count({ where: { slug } }).then((n) => n > 0)
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
