import { ApiError } from '@switchyard/shared/errors'
import { hashAdminToken, isWellFormedAdminToken } from '@switchyard/shared/keys'
import type { DbClient, Role } from '../lib/db.server.ts'
import { findLiveAdminTokenByHash, touchAdminToken } from '../models/admin-token.server.ts'

/** Who is calling: a team member acting through an admin token (later also a browser session). */
export interface Actor {
  teamId: string
  userId: string
  tokenId: string | null
  role: Role
}

const TOUCH_INTERVAL_MS = 60_000
const WRITE_ROLES: readonly Role[] = ['owner', 'admin', 'member']

/** `Authorization: Bearer <admin token>` → the token's team and role, or 401. */
export async function authenticateAdminToken(db: DbClient, authorization: string | null): Promise<Actor> {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')
  const token = match?.[1]
  // Format and checksum first: garbage never reaches the database.
  if (!token || !isWellFormedAdminToken(token)) throw new ApiError('unauthorized', 'missing or invalid admin token')
  const row = await findLiveAdminTokenByHash(db, hashAdminToken(token))
  if (!row) throw new ApiError('unauthorized', 'missing or invalid admin token')
  const now = new Date()
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() >= TOUCH_INTERVAL_MS) {
    await touchAdminToken(db, row.id, now)
  }
  return { teamId: row.teamId, userId: row.userId, tokenId: row.id, role: row.role }
}

export function requireWriteRole(actor: Actor): void {
  if (!WRITE_ROLES.includes(actor.role)) throw new ApiError('forbidden', `the ${actor.role} role cannot make changes`)
}

/** The audit columns for a mutation made by `actor`. */
export function auditActor(actor: Actor) {
  return { teamId: actor.teamId, actorUserId: actor.userId, actorTokenId: actor.tokenId }
}
