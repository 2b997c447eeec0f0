import { ApiError } from '@switchyard/shared/errors'
import { hashAdminToken, isWellFormedAdminToken } from '@switchyard/shared/keys'
import type { DbClient, Role } from '../lib/db.server.ts'
import { findLiveAdminTokenByHash, touchAdminToken } from '../models/admin-token.server.ts'
import { findMembership } from '../models/membership.server.ts'
import { can, lowerRole, type Permission } from './permissions.ts'

/** Who is calling: a team member acting through an admin token, or a console session (tokenId null; see memberActor). */
export interface Actor {
  teamId: string
  userId: string
  tokenId: string | null
  role: Role
}

const TOUCH_INTERVAL_MS = 60_000

/**
 * `Authorization: Bearer <admin token>` → the token's team and role, or 401. The role is the
 * lower of the token's and its holder's current membership, and a holder who left the team
 * holds no access at all.
 */
export async function authenticateAdminToken(db: DbClient, authorization: string | null): Promise<Actor> {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')
  const token = match?.[1]
  // Format and checksum first: garbage never reaches the database.
  if (!token || !isWellFormedAdminToken(token)) throw new ApiError('unauthorized', 'missing or invalid admin token')
  const row = await findLiveAdminTokenByHash(db, hashAdminToken(token))
  if (!row) throw new ApiError('unauthorized', 'missing or invalid admin token')
  const membership = await findMembership(db, row.teamId, row.userId)
  if (!membership) throw new ApiError('unauthorized', 'missing or invalid admin token')
  const now = new Date()
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() >= TOUCH_INTERVAL_MS) {
    await touchAdminToken(db, row.id, now)
  }
  return { teamId: row.teamId, userId: row.userId, tokenId: row.id, role: lowerRole(row.role, membership.role) }
}

/** 403 unless the actor's role has `permission` in the permission table (permissions.ts). */
export function requirePermission(actor: Actor, permission: Permission): void {
  if (!can(actor.role, permission)) {
    throw new ApiError('forbidden', `the ${actor.role} role does not have the ${permission} permission`)
  }
}

/** The audit columns for a mutation made by `actor`. */
export function auditActor(actor: Actor) {
  return { teamId: actor.teamId, actorUserId: actor.userId, actorTokenId: actor.tokenId }
}
