import { ApiError } from '@switchyard/shared/errors'
import { newId } from '@switchyard/shared/ids'
import { adminTokenHint, generateAdminToken, hashAdminToken } from '@switchyard/shared/keys'
import type { Db, Role } from '../lib/db.server.ts'
import { type Page, type PageRequest, toPage } from '../lib/pagination.server.ts'
import {
  type AdminTokenRow,
  createAdminToken,
  getLiveAdminToken,
  listLiveAdminTokens,
  revokeAdminTokenOfTeam,
} from '../models/admin-token.server.ts'
import { recordAuditEvent } from '../models/audit-event.server.ts'
import { type Actor, auditActor, requirePermission } from './admin-auth.server.ts'
import { ROLE_RANK, tokenRoles } from './permissions.ts'

// Admin API tokens of the actor's team. A token is shown once, stored as its SHA-256, held by
// the user who created it, and never carries a role above its creator's. Authentication also
// caps a token at its holder's current membership (admin-auth.server.ts).

export type AdminTokenView = AdminTokenRow

export async function listAdminTokens(deps: { db: Db }, actor: Actor, page: PageRequest): Promise<Page<AdminTokenView>> {
  requirePermission(actor, 'adminTokens.manage')
  return toPage(await listLiveAdminTokens(deps.db, actor.teamId, page), page.limit, (row) => row)
}

/** Mints a token for the actor's own user; the plaintext is returned here once. */
export async function issueAdminToken(
  deps: { db: Db },
  actor: Actor,
  input: { name: string; role: Role; expiresAt?: string | null | undefined },
): Promise<AdminTokenView & { token: string }> {
  requirePermission(actor, 'adminTokens.manage')
  if (!tokenRoles(actor.role).includes(input.role)) {
    throw new ApiError('forbidden', `a token cannot have a role above its creator's (${actor.role})`)
  }
  const expiresAt = input.expiresAt ? new Date(input.expiresAt) : null
  if (expiresAt && !(expiresAt.getTime() > Date.now())) {
    throw new ApiError('validation_failed', 'expiresAt must be in the future', [{ path: 'expiresAt', message: 'must be in the future' }])
  }
  const token = generateAdminToken()
  const id = newId('adminToken')
  const row = await deps.db.$transaction(async (tx) => {
    const created = await createAdminToken(tx, {
      id,
      teamId: actor.teamId,
      userId: actor.userId,
      name: input.name.trim(),
      role: input.role,
      tokenHash: hashAdminToken(token),
      keyHint: adminTokenHint(token),
      expiresAt,
    })
    await recordAuditEvent(tx, {
      ...auditActor(actor),
      action: 'admin_token.create',
      targetType: 'admin_token',
      targetId: id,
      details: { name: created.name, role: input.role, keyHint: created.keyHint, ...(expiresAt ? { expiresAt: expiresAt.toISOString() } : {}) },
    })
    return created
  })
  return { ...row, token }
}

/**
 * Revokes a token of the team; it answers 401 from the next request on. Managers may revoke
 * their own tokens and those carrying a role no higher than theirs (an admin never revokes
 * the owner's owner token).
 */
export async function revokeAdminToken(deps: { db: Db }, actor: Actor, input: { id: string }): Promise<void> {
  requirePermission(actor, 'adminTokens.manage')
  await deps.db.$transaction(async (tx) => {
    const existing = await getLiveAdminToken(tx, actor.teamId, input.id)
    if (!existing) throw new ApiError('not_found', 'admin token not found')
    if (existing.userId !== actor.userId && ROLE_RANK[existing.role] > ROLE_RANK[actor.role]) {
      throw new ApiError('forbidden', `the ${actor.role} role cannot revoke a ${existing.role} token`)
    }
    if (!(await revokeAdminTokenOfTeam(tx, actor.teamId, input.id))) throw new ApiError('not_found', 'admin token not found')
    await recordAuditEvent(tx, {
      ...auditActor(actor),
      action: 'admin_token.revoke',
      targetType: 'admin_token',
      targetId: input.id,
      details: { name: existing.name, role: existing.role, keyHint: existing.keyHint },
    })
  })
}
