import { ApiError } from '@switchyard/shared/errors'
import type { Db, DbClient, Role } from '../lib/db.server.ts'
import { type Page, type PageRequest, toPage } from '../lib/pagination.server.ts'
import { capAdminTokensOfMember, revokeAdminTokensOfMember } from '../models/admin-token.server.ts'
import { recordAuditEvent } from '../models/audit-event.server.ts'
import { changeMembershipRole, deleteMembership, findMembership, listMembersOfTeam, type MemberRow } from '../models/membership.server.ts'
import { type Actor, auditActor, requirePermission } from './admin-auth.server.ts'
import { assignableRoles, canManageMember, ROLE_RANK, ROLES } from './permissions.ts'

// Members of the actor's team: list, change a role, remove, leave. Who may manage whom is
// decided by permissions.ts (members.manage + canManageMember: only roles below your own).

export interface MemberDeps {
  db: Db
}

export interface MemberView {
  userId: string
  email: string
  name: string
  role: Role
  joinedAt: Date
}

function toMemberView(row: MemberRow): MemberView {
  return { userId: row.user.id, email: row.user.email, name: row.user.name, role: row.role, joinedAt: row.createdAt }
}

/** The actor a console session acts as in `teamId`, or null when the user is not a member. */
export async function memberActor(db: DbClient, member: { userId: string; teamId: string }): Promise<Actor | null> {
  const row = await findMembership(db, member.teamId, member.userId)
  return row ? { teamId: member.teamId, userId: member.userId, tokenId: null, role: row.role } : null
}

export async function listMembers(deps: MemberDeps, actor: Actor, page: PageRequest): Promise<Page<MemberView>> {
  requirePermission(actor, 'members.read')
  const rows = await listMembersOfTeam(deps.db, actor.teamId, page)
  return toPage(rows, page.limit, toMemberView)
}

async function requireManageable(db: DbClient, actor: Actor, userId: string): Promise<MemberRow> {
  requirePermission(actor, 'members.manage')
  const target = await findMembership(db, actor.teamId, userId)
  if (!target) throw new ApiError('not_found', 'member not found')
  if (target.role === 'owner') throw new ApiError('forbidden', 'the owner cannot be changed or removed; the owner transfers ownership')
  if (userId !== actor.userId && !canManageMember(actor.role, target.role)) {
    throw new ApiError('forbidden', `the ${actor.role} role cannot manage a member with the ${target.role} role`)
  }
  return target
}

/** Changes a member's role (never to or from owner); their admin tokens are capped to it. */
export async function changeMemberRole(deps: MemberDeps, actor: Actor, input: { userId: string; role: Role }): Promise<MemberView> {
  requirePermission(actor, 'members.manage')
  if (!assignableRoles(actor.role).includes(input.role)) {
    throw new ApiError('forbidden', input.role === 'owner' ? 'ownership moves only by transferring it' : `the ${actor.role} role cannot grant ${input.role}`)
  }
  return deps.db.$transaction(async (tx) => {
    const target = await requireManageable(tx, actor, input.userId)
    if (target.role === input.role) return toMemberView(target)
    const member = { teamId: actor.teamId, userId: input.userId }
    if (!(await changeMembershipRole(tx, member, { from: target.role, to: input.role }))) {
      throw new ApiError('conflict', 'the member changed meanwhile; try again')
    }
    const above = ROLES.filter((r) => ROLE_RANK[r] > ROLE_RANK[input.role])
    await capAdminTokensOfMember(tx, member, { above, role: input.role })
    await recordAuditEvent(tx, {
      ...auditActor(actor),
      action: 'member.role_change',
      targetType: 'member',
      targetId: input.userId,
      details: { email: target.user.email, from: target.role, to: input.role },
    })
    return { ...toMemberView(target), role: input.role }
  })
}

async function deleteMember(tx: DbClient, actor: Actor, target: MemberRow, action: 'member.remove' | 'member.leave') {
  const member = { teamId: actor.teamId, userId: target.user.id }
  if (!(await deleteMembership(tx, { ...member, role: target.role }))) {
    throw new ApiError('conflict', 'the member changed meanwhile; try again')
  }
  // A former member keeps no access: their tokens die with the membership.
  const revokedTokens = await revokeAdminTokensOfMember(tx, member.teamId, member.userId)
  await recordAuditEvent(tx, {
    ...auditActor(actor),
    action,
    targetType: 'member',
    targetId: target.user.id,
    details: { email: target.user.email, role: target.role, revokedTokens },
  })
}

/** Removes another member (or, for your own id, leaves the team). The owner is never removed. */
export async function removeMember(deps: MemberDeps, actor: Actor, input: { userId: string }): Promise<void> {
  if (input.userId === actor.userId) return leaveTeam(deps, actor)
  await deps.db.$transaction(async (tx) => {
    const target = await requireManageable(tx, actor, input.userId)
    await deleteMember(tx, actor, target, 'member.remove')
  })
}

/** The actor leaves the team; the owner must transfer ownership (or delete the team) first. */
export async function leaveTeam(deps: MemberDeps, actor: Actor): Promise<void> {
  requirePermission(actor, 'team.read')
  await deps.db.$transaction(async (tx) => {
    const self = await findMembership(tx, actor.teamId, actor.userId)
    if (!self) throw new ApiError('not_found', 'member not found')
    if (self.role === 'owner') {
      throw new ApiError('conflict', 'the owner cannot leave the team; transfer ownership or delete the team first')
    }
    await deleteMember(tx, actor, self, 'member.leave')
  })
}
