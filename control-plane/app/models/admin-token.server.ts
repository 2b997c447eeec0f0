import type { DbClient, Prisma, Role } from '../lib/db.server.ts'
import { afterCursor, NEWEST_FIRST, type PageRequest } from '../lib/pagination.server.ts'

const PUBLIC_SELECT = {
  id: true,
  name: true,
  role: true,
  keyHint: true,
  userId: true,
  createdAt: true,
  lastUsedAt: true,
  expiresAt: true,
} as const

/** Not revoked and not past its expiry at `now`. */
function live(now: Date) {
  return { revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] }
}

export type AdminTokenRow = Prisma.AdminTokenGetPayload<{ select: typeof PUBLIC_SELECT }>

export function createAdminToken(
  db: DbClient,
  data: { id: string; teamId: string; userId: string; name: string; role: Role; tokenHash: string; keyHint: string; expiresAt?: Date | null },
) {
  return db.adminToken.create({ data, select: PUBLIC_SELECT })
}

/** A live (not revoked, not expired) token by hash, with what authorization needs. */
export function findLiveAdminTokenByHash(db: DbClient, tokenHash: string, now: Date = new Date()) {
  return db.adminToken.findFirst({
    where: { tokenHash, ...live(now) },
    select: { id: true, teamId: true, userId: true, role: true, lastUsedAt: true },
  })
}

export function touchAdminToken(db: DbClient, id: string, at: Date) {
  return db.adminToken.update({ where: { id }, data: { lastUsedAt: at }, select: { id: true } })
}

export function getLiveAdminToken(db: DbClient, teamId: string, id: string) {
  return db.adminToken.findFirst({ where: { id, teamId, ...live(new Date()) }, select: PUBLIC_SELECT })
}

export function listLiveAdminTokens(db: DbClient, teamId: string, page: PageRequest) {
  return db.adminToken.findMany({
    where: { teamId, ...live(new Date()), ...afterCursor(page.cursor) },
    orderBy: NEWEST_FIRST,
    take: page.limit + 1,
    select: PUBLIC_SELECT,
  })
}

/** Revokes one live token of the team: true when it was live. */
export async function revokeAdminTokenOfTeam(db: DbClient, teamId: string, id: string): Promise<boolean> {
  const { count } = await db.adminToken.updateMany({ where: { id, teamId, revokedAt: null }, data: { revokedAt: new Date() } })
  return count === 1
}

/** Revokes every live token a user holds in a team (they left or were removed). */
export async function revokeAdminTokensOfMember(db: DbClient, teamId: string, userId: string): Promise<number> {
  const { count } = await db.adminToken.updateMany({ where: { teamId, userId, revokedAt: null }, data: { revokedAt: new Date() } })
  return count
}

/** Revokes every unrevoked token the user holds, in every team; returns those it revoked. */
export async function revokeAdminTokensOfUser(db: DbClient, userId: string) {
  const tokens = await db.adminToken.findMany({ where: { userId, revokedAt: null }, select: { id: true, teamId: true, name: true, role: true, keyHint: true } })
  if (tokens.length === 0) return []
  await db.adminToken.updateMany({ where: { id: { in: tokens.map((t) => t.id) }, revokedAt: null }, data: { revokedAt: new Date() } })
  return tokens
}

/** Lowers the member's live tokens that carry one of `above` to `role` (after a demotion). */
export async function capAdminTokensOfMember(
  db: DbClient,
  member: { teamId: string; userId: string },
  cap: { above: Role[]; role: Role },
): Promise<number> {
  if (cap.above.length === 0) return 0
  const { count } = await db.adminToken.updateMany({
    where: { ...member, revokedAt: null, role: { in: cap.above } },
    data: { role: cap.role },
  })
  return count
}
