import { ApiError } from '@switchyard/shared/errors'
import { newId } from '@switchyard/shared/ids'
import { adminTokenHint, generateAdminToken, hashAdminToken } from '@switchyard/shared/keys'
import { z } from 'zod'
import { type Db, type DbClient, isUniqueViolation, type Role } from '../lib/db.server.ts'
import { createAdminToken } from '../models/admin-token.server.ts'
import { recordAuditEvent } from '../models/audit-event.server.ts'
import { createMembership, createTeam, listMembershipsOfUser } from '../models/team.server.ts'
import { createUser, findUserByEmail } from '../models/user.server.ts'
import { freeTeamSlug } from './team-slug.server.ts'
import { hashPassword, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, verifyPassword } from './password.server.ts'

// Accounts: the first user + team (bootstrap) and admin tokens for existing users.

export const Email = z.email().max(320).transform((e) => e.toLowerCase())
export const Password = z.string().min(PASSWORD_MIN_LENGTH).max(PASSWORD_MAX_LENGTH)
export const TeamName = z.string().trim().min(1).max(100)

export const BootstrapInput = z.object({ email: Email, password: Password, team: TeamName })
export type BootstrapInput = z.infer<typeof BootstrapInput>

export const TokenCreateInput = z.object({
  email: Email,
  password: z.string().min(1),
  team: z.string().optional(),
  /** `--expires-at`: an ISO 8601 time in the future; the token answers 401 from then on. */
  'expires-at': z.iso
    .datetime({ offset: true })
    .refine((v) => Date.parse(v) > Date.now(), 'must be in the future')
    .optional(),
})
export type TokenCreateInput = z.infer<typeof TokenCreateInput>

async function mintAdminToken(db: DbClient, owner: { teamId: string; userId: string; role: Role }, expiresAt: Date | null = null) {
  const token = generateAdminToken()
  const id = newId('adminToken')
  await createAdminToken(db, {
    id,
    ...owner,
    name: 'cli',
    tokenHash: hashAdminToken(token),
    keyHint: adminTokenHint(token),
    expiresAt,
  })
  await recordAuditEvent(db, {
    teamId: owner.teamId,
    actorUserId: owner.userId,
    actorTokenId: null,
    action: 'admin_token.create',
    targetType: 'admin_token',
    targetId: id,
    details: { role: owner.role, ...(expiresAt ? { expiresAt: expiresAt.toISOString() } : {}) },
  })
  return token
}

export async function bootstrap(db: Db, input: BootstrapInput): Promise<{ userId: string; teamId: string; adminToken: string }> {
  if (await findUserByEmail(db, input.email)) throw new ApiError('conflict', `a user with email ${input.email} already exists`)
  const passwordHash = await hashPassword(input.password)
  try {
    return await db.$transaction(async (tx) => {
      const user = await createUser(tx, { id: newId('user'), email: input.email, passwordHash })
      const team = await createTeam(tx, { id: newId('team'), name: input.team, slug: await freeTeamSlug(tx, input.team) })
      await createMembership(tx, { id: newId('membership'), teamId: team.id, userId: user.id, role: 'owner' })
      const adminToken = await mintAdminToken(tx, { teamId: team.id, userId: user.id, role: 'owner' })
      return { userId: user.id, teamId: team.id, adminToken }
    })
  } catch (err) {
    if (isUniqueViolation(err)) throw new ApiError('conflict', `a user with email ${input.email} already exists`)
    throw err
  }
}

export async function createTokenForUser(db: Db, input: TokenCreateInput): Promise<{ adminToken: string }> {
  const user = await findUserByEmail(db, input.email)
  const valid = user ? await verifyPassword(user.passwordHash, input.password) : false
  if (!user || !valid) throw new ApiError('unauthorized', 'wrong email or password')
  const memberships = await listMembershipsOfUser(db, user.id)
  const membership = input.team
    ? memberships.find((m) => m.team.name === input.team || m.team.slug === input.team)
    : memberships[0]
  if (!membership) throw new ApiError('not_found', input.team ? `no team "${input.team}" for this user` : 'this user has no team')
  const expiresAt = input['expires-at'] ? new Date(input['expires-at']) : null
  const adminToken = await mintAdminToken(db, { teamId: membership.team.id, userId: user.id, role: membership.role }, expiresAt)
  return { adminToken }
}
