import { newId } from '@switchyard/shared/ids'
import { z } from 'zod'
import { revokeAdminTokensOfUser } from '../models/admin-token.server.ts'
import { recordAuditEvent } from '../models/audit-event.server.ts'
import { type EmailTokenPurpose, consumeEmailToken, createEmailToken, findUsableEmailToken, retireEmailTokens } from '../models/email-token.server.ts'
import { findUserByEmail, findUserCredentialsById, markUserEmailVerified, updateUserPasswordHash } from '../models/user.server.ts'
import { NewPassword, passwordProblem } from './auth-password.server.ts'
import { type AuthDeps, type AuthResult, fieldError, rateLimited, type RequestMeta, zodFieldErrors } from './auth-result.server.ts'
import { consoleLink } from './email.server.ts'
import { hashPassword, PASSWORD_MAX_LENGTH, verifyPassword } from './password.server.ts'
import { generateSessionToken, invalidateUserSessions, sessionIdFromToken } from './session.server.ts'
import { consumeAttempts, THROTTLES } from './throttle.server.ts'

// Email verification, password reset by email link, and password change. Links carry a random
// token; only its SHA-256 is stored, each works once, and a reset link expires after an hour.

export const RESET_TOKEN_TTL_MS = 60 * 60 * 1000
export const VERIFY_TOKEN_TTL_MS = 48 * 60 * 60 * 1000

async function issueLink(deps: AuthDeps, input: { userId: string; purpose: EmailTokenPurpose; ttlMs: number }): Promise<string> {
  const now = new Date()
  await retireEmailTokens(deps.db, input.userId, input.purpose, now)
  const token = generateSessionToken()
  await createEmailToken(deps.db, {
    id: newId('emailToken'),
    userId: input.userId,
    purpose: input.purpose,
    tokenHash: sessionIdFromToken(token),
    expiresAt: new Date(now.getTime() + input.ttlMs),
  })
  return token
}

export async function sendVerificationEmail(deps: AuthDeps, user: { id: string; email: string }): Promise<void> {
  const token = await issueLink(deps, { userId: user.id, purpose: 'verify_email', ttlMs: VERIFY_TOKEN_TTL_MS })
  const link = consoleLink(`/verify-email/${token}`, deps.config.publicUrl)
  await deps.mailer.send({
    to: user.email,
    subject: 'Confirm your email for Switchyard',
    text: `Welcome to Switchyard.\n\nConfirm your email address by opening this link (valid for 48 hours):\n\n${link}\n\nIf you did not sign up, ignore this message.`,
    link,
    audience: { kind: 'recipient' },
  })
}

export async function verifyEmail(deps: AuthDeps, token: string): Promise<boolean> {
  const now = new Date()
  const used = await consumeEmailToken(deps.db, { tokenHash: sessionIdFromToken(token), purpose: 'verify_email', now })
  if (!used) return false
  await markUserEmailVerified(deps.db, used.userId, now)
  return true
}

const ForgotInput = z.object({ email: z.string().trim().toLowerCase().pipe(z.email({ message: 'Enter a valid email address.' })) })

/** Always "sent" for a well-formed address, so the form does not reveal which accounts exist. */
export async function requestPasswordReset(deps: AuthDeps, fields: Record<string, unknown>, meta: RequestMeta): Promise<AuthResult<object>> {
  const parsed = ForgotInput.safeParse(fields)
  if (!parsed.success) return { ok: false, code: 'validation_failed', fieldErrors: zodFieldErrors(parsed.error) }
  const { email } = parsed.data
  const throttle = await consumeAttempts(deps.db, [[THROTTLES.resetIp, meta.ip], [THROTTLES.resetAccount, email]])
  if (!throttle.allowed) return rateLimited(throttle.retryAfterSeconds)
  const user = await findUserByEmail(deps.db, email)
  if (!user) return { ok: true }
  const token = await issueLink(deps, { userId: user.id, purpose: 'reset_password', ttlMs: RESET_TOKEN_TTL_MS })
  const link = consoleLink(`/reset-password/${token}`, deps.config.publicUrl)
  await deps.mailer.send({
    to: user.email,
    subject: 'Reset your Switchyard password',
    text: `Someone (hopefully you) asked to reset the password of your Switchyard account.\n\nChoose a new password here (the link works once, for one hour):\n\n${link}\n\nIf it was not you, ignore this message: your password stays as it is.`,
    link,
    audience: { kind: 'recipient' },
  })
  return { ok: true }
}

export async function isResetTokenUsable(deps: AuthDeps, token: string): Promise<boolean> {
  return !!(await findUsableEmailToken(deps.db, { tokenHash: sessionIdFromToken(token), purpose: 'reset_password', now: new Date() }))
}

/** Revokes the user's admin tokens in every team, each with an audit event its team can read. */
async function revokeTokensAfterNewPassword(deps: AuthDeps, userId: string, reason: 'password_reset' | 'password_change'): Promise<number> {
  return deps.db.$transaction(async (tx) => {
    const revoked = await revokeAdminTokensOfUser(tx, userId)
    for (const t of revoked) {
      await recordAuditEvent(tx, {
        teamId: t.teamId, actorUserId: userId, actorTokenId: null, action: 'admin_token.revoke', targetType: 'admin_token', targetId: t.id,
        details: { name: t.name, role: t.role, keyHint: t.keyHint, reason },
      })
    }
    return revoked.length
  })
}

/** Tick-box, checked by default; anything but an explicit `off` revokes (the safe default). */
const RevokeApiTokens = z.unknown().transform((v) => v !== 'off')

const ResetInput = z
  .object({ password: NewPassword, confirm: z.string(), revokeApiTokens: RevokeApiTokens })
  .refine((v) => v.password === v.confirm, { path: ['confirm'], message: 'The two passwords differ.' })

/** Sets a new password through a reset link, ends every session and (by default) revokes the user's admin tokens. */
export async function resetPassword(
  deps: AuthDeps,
  token: string,
  fields: Record<string, unknown>,
): Promise<AuthResult<{ userId: string; revokedTokens: number }>> {
  const parsed = ResetInput.safeParse(fields)
  if (!parsed.success) return { ok: false, code: 'validation_failed', fieldErrors: zodFieldErrors(parsed.error) }
  // Checked before the link is used up, so a rejected password does not burn the link.
  const now = new Date()
  const pending = await findUsableEmailToken(deps.db, { tokenHash: sessionIdFromToken(token), purpose: 'reset_password', now })
  const holder = pending ? await findUserCredentialsById(deps.db, pending.userId) : null
  if (holder) {
    const problem = passwordProblem(parsed.data.password, holder.email)
    if (problem) return fieldError('password', problem)
  }
  const used = await consumeEmailToken(deps.db, { tokenHash: sessionIdFromToken(token), purpose: 'reset_password', now })
  if (!used) return { ok: false, code: 'invalid_token', message: 'This reset link is invalid, expired or already used. Ask for a new one.' }
  await updateUserPasswordHash(deps.db, used.userId, await hashPassword(parsed.data.password))
  await invalidateUserSessions(deps.db, used.userId)
  const revokedTokens = parsed.data.revokeApiTokens ? await revokeTokensAfterNewPassword(deps, used.userId, 'password_reset') : 0
  // Following the link proved the address.
  await markUserEmailVerified(deps.db, used.userId, now)
  return { ok: true, userId: used.userId, revokedTokens }
}

const ChangeInput = z
  .object({
    currentPassword: z.string().min(1, 'Enter your current password.').max(PASSWORD_MAX_LENGTH),
    newPassword: NewPassword,
    confirm: z.string(),
    revokeApiTokens: RevokeApiTokens,
  })
  .refine((v) => v.newPassword === v.confirm, { path: ['confirm'], message: 'The two passwords differ.' })

/** Requires the current password; ends every other session and (by default) revokes the user's admin tokens. */
export async function changePassword(
  deps: AuthDeps,
  who: { userId: string; sessionId: string },
  fields: Record<string, unknown>,
): Promise<AuthResult<{ endedSessions: number; revokedTokens: number }>> {
  const parsed = ChangeInput.safeParse(fields)
  if (!parsed.success) return { ok: false, code: 'validation_failed', fieldErrors: zodFieldErrors(parsed.error) }
  const user = await findUserCredentialsById(deps.db, who.userId)
  if (!user) return { ok: false, code: 'invalid_credentials', message: 'Your account no longer exists.' }
  const throttle = await consumeAttempts(deps.db, [[THROTTLES.passwordChange, user.id]])
  if (!throttle.allowed) return rateLimited(throttle.retryAfterSeconds)
  if (!(await verifyPassword(user.passwordHash, parsed.data.currentPassword))) {
    return fieldError('currentPassword', 'That is not your current password.')
  }
  const problem = passwordProblem(parsed.data.newPassword, user.email)
  if (problem) return fieldError('newPassword', problem)
  await updateUserPasswordHash(deps.db, user.id, await hashPassword(parsed.data.newPassword))
  const endedSessions = await invalidateUserSessions(deps.db, user.id, who.sessionId)
  const revokedTokens = parsed.data.revokeApiTokens ? await revokeTokensAfterNewPassword(deps, user.id, 'password_change') : 0
  return { ok: true, endedSessions, revokedTokens }
}
