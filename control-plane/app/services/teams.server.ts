import { ApiError } from '@switchyard/shared/errors'
import { newId } from '@switchyard/shared/ids'
import { type Db, type DbClient, isUniqueViolation, type Role } from '../lib/db.server.ts'
import { capAdminTokensOfMember } from '../models/admin-token.server.ts'
import { recordAuditEvent } from '../models/audit-event.server.ts'
import { changeMembershipRole, findMembership, findOwnerMembership } from '../models/membership.server.ts'
import {
  createMembership,
  createTeam as insertTeam,
  deleteTeam as removeTeam,
  getTeam,
  listMembershipsOfUser,
  renameTeam as updateTeamName,
  type TeamRow,
} from '../models/team.server.ts'
import { type Actor, auditActor, requirePermission } from './admin-auth.server.ts'
import type { SnapshotPublisher } from './snapshot.server.ts'
import { freeTeamSlug } from './team-slug.server.ts'

// Teams: create (the creator owns it), read, rename, transfer ownership, delete. Each function
// takes (deps, actor, input), checks the permission table itself and writes an audit event.

export interface TeamDeps {
  db: Db
  publisher: SnapshotPublisher
}

export interface TeamView extends TeamRow {
  ownerUserId: string | null
}

export interface UserTeam {
  id: string
  name: string
  slug: string
  role: Role
}

/** The teams a user belongs to, oldest membership first (the first is the default team). */
export async function listTeamsForUser(db: DbClient, userId: string): Promise<UserTeam[]> {
  const memberships = await listMembershipsOfUser(db, userId)
  return memberships.map((m) => ({ ...m.team, role: m.role }))
}

async function teamView(db: DbClient, teamId: string): Promise<TeamView> {
  const [team, owner] = await Promise.all([getTeam(db, teamId), findOwnerMembership(db, teamId)])
  if (!team) throw new ApiError('not_found', 'team not found')
  return { ...team, ownerUserId: owner?.userId ?? null }
}

/** A new team owned by `user`; the slug is derived from the name and made unique. */
export async function createTeam(deps: TeamDeps, user: { userId: string }, input: { name: string }): Promise<TeamView> {
  const name = input.name.trim()
  // Two creators racing for one slug: the loser retries with the next free one.
  for (let attempt = 0; attempt < 5; attempt++) {
    const slug = await freeTeamSlug(deps.db, name)
    try {
      const team = await deps.db.$transaction(async (tx) => {
        const created = await insertTeam(tx, { id: newId('team'), name, slug })
        await createMembership(tx, { id: newId('membership'), teamId: created.id, userId: user.userId, role: 'owner' })
        await recordAuditEvent(tx, {
          teamId: created.id,
          actorUserId: user.userId,
          actorTokenId: null,
          action: 'team.create',
          targetType: 'team',
          targetId: created.id,
          details: { name, slug },
        })
        return created
      })
      return await teamView(deps.db, team.id)
    } catch (err) {
      if (!isUniqueViolation(err)) throw err
    }
  }
  throw new ApiError('conflict', 'could not allocate a unique slug for this team; try another name')
}

export async function getCurrentTeam(deps: TeamDeps, actor: Actor): Promise<TeamView> {
  requirePermission(actor, 'team.read')
  return teamView(deps.db, actor.teamId)
}

/** Renames the team; the slug stays as it was so links and snapshots keep working. */
export async function renameTeam(deps: TeamDeps, actor: Actor, input: { name: string }): Promise<TeamView> {
  requirePermission(actor, 'team.update')
  const name = input.name.trim()
  await deps.db.$transaction(async (tx) => {
    const before = await getTeam(tx, actor.teamId)
    if (!before) throw new ApiError('not_found', 'team not found')
    if (before.name === name) return
    await updateTeamName(tx, actor.teamId, name)
    await recordAuditEvent(tx, {
      ...auditActor(actor),
      action: 'team.update',
      targetType: 'team',
      targetId: actor.teamId,
      details: { from: before.name, to: name },
    })
  })
  return teamView(deps.db, actor.teamId)
}

/** The owner hands the team to another member and becomes an admin. */
export async function transferOwnership(deps: TeamDeps, actor: Actor, input: { userId: string }): Promise<TeamView> {
  requirePermission(actor, 'team.transferOwnership')
  if (input.userId === actor.userId) {
    throw new ApiError('validation_failed', 'you already own this team', [{ path: 'userId', message: 'must be another member' }])
  }
  await deps.db.$transaction(async (tx) => {
    const target = await findMembership(tx, actor.teamId, input.userId)
    if (!target) throw new ApiError('not_found', 'member not found')
    const demoted = await changeMembershipRole(tx, { teamId: actor.teamId, userId: actor.userId }, { from: 'owner', to: 'admin' })
    if (!demoted) throw new ApiError('conflict', 'you are no longer the owner of this team')
    const promoted = await changeMembershipRole(tx, { teamId: actor.teamId, userId: input.userId }, { from: target.role, to: 'owner' })
    if (!promoted) throw new ApiError('conflict', 'the member changed meanwhile; try again')
    await capAdminTokensOfMember(tx, { teamId: actor.teamId, userId: actor.userId }, { above: ['owner'], role: 'admin' })
    await recordAuditEvent(tx, {
      ...auditActor(actor),
      action: 'team.transfer_ownership',
      targetType: 'member',
      targetId: input.userId,
      details: { from: actor.userId, to: input.userId, previousRole: target.role },
    })
  })
  return teamView(deps.db, actor.teamId)
}

/**
 * Deletes the team and everything it owns. `confirm` must repeat the team's slug. The team's
 * audit trail goes with it (audit events belong to the team).
 */
export async function deleteTeam(deps: TeamDeps, actor: Actor, input: { confirm: string }): Promise<void> {
  requirePermission(actor, 'team.delete')
  const team = await getTeam(deps.db, actor.teamId)
  if (!team) throw new ApiError('not_found', 'team not found')
  if (input.confirm !== team.slug) {
    const message = `type the team's slug (${team.slug}) to confirm`
    throw new ApiError('validation_failed', message, [{ path: 'confirm', message }])
  }
  if (!(await removeTeam(deps.db, actor.teamId))) throw new ApiError('not_found', 'team not found')
  // The team's virtual keys and connections leave the data plane with the next snapshot.
  await deps.publisher.publish()
}
