import { createHash, randomBytes } from 'node:crypto'
import { ApiError, type ApiErrorCode } from '@switchyard/shared/errors'
import { newId } from '@switchyard/shared/ids'
import { type Db, isUniqueViolation, type Role } from '../lib/db.server.ts'
import { type Page, type PageRequest, toPage } from '../lib/pagination.server.ts'
import { recordAuditEvent } from '../models/audit-event.server.ts'
import {
  claimInvite,
  createInvite as insertInvite,
  findInviteByTokenHash,
  type InviteRow,
  listPendingInvites,
  revokePendingInvite,
  revokePendingInvitesForEmail,
} from '../models/invite.server.ts'
import { findMembership } from '../models/membership.server.ts'
import { createMembership, getTeam } from '../models/team.server.ts'
import { findUserByEmail, findUserProfile } from '../models/user.server.ts'
import { type Actor, auditActor, requirePermission } from './admin-auth.server.ts'
import { consoleLink, type Mailer } from './email.server.ts'
import { assignableRoles } from './permissions.ts'

// Invitations by email link: a one-time token (only its SHA-256 is stored) valid for 7 days,
// accepted by a signed-in user whose email matches the invitation's.

export const INVITE_TTL_MS = 7 * 24 * 60 * 60 * 1000
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/

export interface InviteDeps {
  db: Db
  mailer: Pick<Mailer, 'send'>
}

export type InviteView = InviteRow

export type InviteFailure = 'not_found' | 'expired' | 'revoked' | 'used' | 'email_mismatch' | 'already_member'

/** Why an invitation cannot be accepted: `reason` for the console, `code` for the API. */
export class InviteError extends ApiError {
  constructor(
    readonly reason: InviteFailure,
    code: ApiErrorCode,
    message: string,
  ) {
    super(code, message)
  }
}

function hashInviteToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex')
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase()
}

export async function listInvites(deps: { db: Db }, actor: Actor, page: PageRequest): Promise<Page<InviteView>> {
  requirePermission(actor, 'members.manage')
  return toPage(await listPendingInvites(deps.db, actor.teamId, page), page.limit, (row) => row)
}

export interface CreateInviteInput {
  email: string
  role: Role
  /** The console's public origin (ConsoleConfig.publicUrl): where the link points. */
  publicUrl: string
}

/**
 * Invites `email` with `role` (one the actor may hand out). A pending invite to the same
 * address is superseded. Returns the invite and its link (also emailed): the only time the
 * token exists outside the recipient's mailbox.
 */
export async function createInvite(deps: InviteDeps, actor: Actor, input: CreateInviteInput): Promise<{ invite: InviteView; link: string }> {
  requirePermission(actor, 'members.manage')
  if (!assignableRoles(actor.role).includes(input.role)) {
    throw new ApiError('forbidden', `the ${actor.role} role cannot invite with the ${input.role} role`)
  }
  const email = normalizeEmail(input.email)
  const existing = await findUserByEmail(deps.db, email)
  if (existing && (await findMembership(deps.db, actor.teamId, existing.id))) {
    throw new ApiError('conflict', `${email} is already a member of this team`)
  }
  const token = randomBytes(32).toString('base64url')
  const now = new Date()
  const { invite, team, inviter } = await deps.db.$transaction(async (tx) => {
    const superseded = await revokePendingInvitesForEmail(tx, actor.teamId, email, now)
    const created = await insertInvite(tx, {
      id: newId('invite'),
      teamId: actor.teamId,
      email,
      role: input.role,
      tokenHash: hashInviteToken(token),
      invitedById: actor.userId,
      expiresAt: new Date(now.getTime() + INVITE_TTL_MS),
    })
    await recordAuditEvent(tx, {
      ...auditActor(actor),
      action: 'invite.create',
      targetType: 'invite',
      targetId: created.id,
      details: { email, role: input.role, superseded },
    })
    return { invite: created, team: await getTeam(tx, actor.teamId), inviter: await findMembership(tx, actor.teamId, actor.userId) }
  })
  const link = consoleLink(`/invites/${token}`, input.publicUrl)
  const from = inviter ? inviter.user.name || inviter.user.email : 'A team admin'
  await deps.mailer.send({
    to: email,
    subject: `You're invited to ${team?.name ?? 'a team'} on Switchyard`,
    text: `${from} invited you to join ${team?.name ?? 'a team'} on Switchyard as ${input.role}.\n\nAccept within 7 days: ${link}\n\nSign in (or sign up) with ${email} to accept. If you did not expect this, ignore this email.`,
    link,
    // The inviting team's admins may read it in the outbox: they created the link anyway.
    audience: { kind: 'team-managers', teamId: actor.teamId },
  })
  return { invite, link }
}

export async function revokeInvite(deps: { db: Db }, actor: Actor, input: { id: string }): Promise<void> {
  requirePermission(actor, 'members.manage')
  await deps.db.$transaction(async (tx) => {
    const revoked = await revokePendingInvite(tx, actor.teamId, input.id)
    if (!revoked) throw new ApiError('not_found', 'invite not found')
    await recordAuditEvent(tx, {
      ...auditActor(actor),
      action: 'invite.revoke',
      targetType: 'invite',
      targetId: input.id,
      details: { email: revoked.email, role: revoked.role },
    })
  })
}

type InviteState = 'pending' | 'expired' | 'revoked' | 'accepted'

export interface InvitePreview {
  status: InviteState
  teamName: string
  teamSlug: string
  email: string
  role: Role
  expiresAt: Date
  /** The inviter's name (or email), when they still have an account. */
  invitedBy: string | null
}

async function findByToken(db: Db, token: string) {
  return TOKEN_PATTERN.test(token) ? findInviteByTokenHash(db, hashInviteToken(token)) : null
}

function stateOf(invite: { acceptedAt: Date | null; revokedAt: Date | null; expiresAt: Date }, now: Date): InviteState {
  if (invite.acceptedAt) return 'accepted'
  if (invite.revokedAt) return 'revoked'
  return invite.expiresAt.getTime() <= now.getTime() ? 'expired' : 'pending'
}

/** What the `/invites/<token>` page shows before accepting; null for an unknown token. */
export async function previewInvite(deps: { db: Db }, token: string): Promise<InvitePreview | null> {
  const invite = await findByToken(deps.db, token)
  if (!invite) return null
  const { email, role, expiresAt } = invite
  const inviter = invite.invitedById ? await findUserProfile(deps.db, invite.invitedById) : null
  const invitedBy = inviter ? inviter.name || inviter.email : null
  return { status: stateOf(invite, new Date()), teamName: invite.team.name, teamSlug: invite.team.slug, email, role, expiresAt, invitedBy }
}

const FAILURES: Record<Exclude<InviteState, 'pending'>, () => InviteError> = {
  expired: () => new InviteError('expired', 'conflict', 'this invitation has expired; ask for a new one'),
  revoked: () => new InviteError('revoked', 'conflict', 'this invitation was revoked'),
  accepted: () => new InviteError('used', 'conflict', 'this invitation has already been used'),
}

const alreadyMember = () => new InviteError('already_member', 'conflict', 'you are already a member of this team')

/** A signed-in user accepts an invitation sent to their email: they join with its role. */
export async function acceptInvite(
  deps: { db: Db },
  user: { userId: string; email: string },
  token: string,
): Promise<{ teamId: string; teamSlug: string; role: Role }> {
  const invite = await findByToken(deps.db, token)
  if (!invite) throw new InviteError('not_found', 'not_found', 'invitation not found')
  const state = stateOf(invite, new Date())
  if (state !== 'pending') throw FAILURES[state]()
  if (normalizeEmail(user.email) !== invite.email) {
    throw new InviteError('email_mismatch', 'forbidden', 'this invitation was sent to a different email address')
  }
  await deps.db.$transaction(async (tx) => {
    if (await findMembership(tx, invite.teamId, user.userId)) throw alreadyMember()
    if (!(await claimInvite(tx, invite.id))) throw FAILURES.accepted()
    await createMembership(tx, { id: newId('membership'), teamId: invite.teamId, userId: user.userId, role: invite.role })
    await recordAuditEvent(tx, {
      teamId: invite.teamId,
      actorUserId: user.userId,
      actorTokenId: null,
      action: 'invite.accept',
      targetType: 'invite',
      targetId: invite.id,
      details: { email: invite.email, role: invite.role },
    })
  }).catch((err: unknown) => {
    throw isUniqueViolation(err) ? alreadyMember() : err
  })
  return { teamId: invite.teamId, teamSlug: invite.team.slug, role: invite.role }
}
