import type { DbClient, Role } from '../lib/db.server.ts'

export function createAdminToken(
  db: DbClient,
  data: { id: string; teamId: string; userId: string; name: string; role: Role; tokenHash: string; keyHint: string },
) {
  return db.adminToken.create({ data, select: { id: true } })
}

/** A live (non-revoked) token by hash, with what authorization needs. */
export function findLiveAdminTokenByHash(db: DbClient, tokenHash: string) {
  return db.adminToken.findFirst({
    where: { tokenHash, revokedAt: null },
    select: { id: true, teamId: true, userId: true, role: true, lastUsedAt: true },
  })
}

export function touchAdminToken(db: DbClient, id: string, at: Date) {
  return db.adminToken.update({ where: { id }, data: { lastUsedAt: at }, select: { id: true } })
}

export function revokeAdminToken(db: DbClient, id: string) {
  return db.adminToken.update({ where: { id }, data: { revokedAt: new Date() }, select: { id: true } })
}
