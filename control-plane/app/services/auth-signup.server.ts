import { newId } from '@switchyard/shared/ids'
import { isUniqueViolation } from '../lib/db.server.ts'
import { recordAuditEvent } from '../models/audit-event.server.ts'
import { createPendingSignup, takePendingSignup } from '../models/pending-signup.server.ts'
import { createMembership, createTeam } from '../models/team.server.ts'
import { createUserWithName, findUserByEmail, markUserEmailVerified } from '../models/user.server.ts'
import { SignupInput } from './auth-account.server.ts'
import { passwordProblem } from './auth-password.server.ts'
import { type AuthDeps, type AuthResult, fieldError, rateLimited, type RequestMeta, zodFieldErrors } from './auth-result.server.ts'
import { safeRedirect } from './auth.server.ts'
import { consoleLink } from './email.server.ts'
import { hashPassword } from './password.server.ts'
import { generateSessionToken, sessionIdFromToken } from './session.server.ts'
import { consumeAttempts, THROTTLES } from './throttle.server.ts'
import { freeTeamSlug } from './team-slug.server.ts'

// Signup that does not say whether an email has an account (issue #11). Both answers are
// "check your inbox", after the same work (one Argon2 hash, one email): a new address gets a
// link that creates the account when used (nothing exists before, so no one can squat an
// address they do not read), an existing one gets a notice that someone tried to sign up.

export const SIGNUP_TOKEN_TTL_MS = 48 * 60 * 60 * 1000

export async function signup(deps: AuthDeps, fields: Record<string, unknown>, meta: RequestMeta): Promise<AuthResult<{ email: string }>> {
  const parsed = SignupInput.safeParse(fields)
  if (!parsed.success) return { ok: false, code: 'validation_failed', fieldErrors: zodFieldErrors(parsed.error) }
  const input = parsed.data
  const throttle = await consumeAttempts(deps.db, [[THROTTLES.signupIp, meta.ip], [THROTTLES.signupAccount, input.email]])
  if (!throttle.allowed) return rateLimited(throttle.retryAfterSeconds)
  const problem = passwordProblem(input.password, input.email)
  if (problem) return fieldError('password', problem)
  // Hashed on both paths, so the answer takes as long for an existing email as for a new one.
  const passwordHash = await hashPassword(input.password)
  if (await findUserByEmail(deps.db, input.email)) {
    await deps.mailer.send({
      to: input.email,
      subject: 'Someone tried to sign up to Switchyard with your email',
      text: `Someone (maybe you) tried to create a Switchyard account with this address, which already has one. Nothing was changed.\n\nLog in with your password, or choose a new one here:\n\n${consoleLink('/forgot-password', deps.config.publicUrl)}\n\nIf it was not you, ignore this message.`,
      link: consoleLink('/forgot-password', deps.config.publicUrl),
      audience: { kind: 'recipient' },
    })
    return { ok: true, email: input.email }
  }
  const token = generateSessionToken()
  const redirectTo = typeof fields.redirectTo === 'string' ? safeRedirect(fields.redirectTo, '') || null : null
  await createPendingSignup(deps.db, {
    id: newId('pendingSignup'),
    email: input.email,
    name: input.name,
    teamName: input.team,
    passwordHash,
    redirectTo,
    tokenHash: sessionIdFromToken(token),
    expiresAt: new Date(Date.now() + SIGNUP_TOKEN_TTL_MS),
  })
  const link = consoleLink(`/verify-email/${token}`, deps.config.publicUrl)
  await deps.mailer.send({
    to: input.email,
    subject: 'Confirm your email to create your Switchyard account',
    text: `Welcome to Switchyard.\n\nOpen this link to confirm your email address and create your account (valid for 48 hours):\n\n${link}\n\nIf you did not sign up, ignore this message: no account is created.`,
    link,
    audience: { kind: 'recipient' },
  })
  return { ok: true, email: input.email }
}

/** Uses a signup link: creates the (verified) user, their team and the owner membership. */
export async function confirmSignup(
  deps: AuthDeps,
  token: string,
): Promise<AuthResult<{ userId: string; teamId: string; teamSlug: string; redirectTo: string | null }>> {
  const now = new Date()
  const pending = await takePendingSignup(deps.db, sessionIdFromToken(token), now)
  if (!pending) return { ok: false, code: 'invalid_token', message: 'This confirmation link is invalid, expired or already used.' }
  const taken = { ok: false as const, code: 'conflict' as const, message: 'An account with this email already exists. Log in instead.' }
  try {
    return await deps.db.$transaction(async (tx) => {
      const user = await createUserWithName(tx, { id: newId('user'), email: pending.email, name: pending.name, passwordHash: pending.passwordHash })
      await markUserEmailVerified(tx, user.id, now)
      const team = await createTeam(tx, { id: newId('team'), name: pending.teamName, slug: await freeTeamSlug(tx, pending.teamName) })
      await createMembership(tx, { id: newId('membership'), teamId: team.id, userId: user.id, role: 'owner' })
      await recordAuditEvent(tx, {
        teamId: team.id, actorUserId: user.id, actorTokenId: null, action: 'team.create', targetType: 'team', targetId: team.id, details: { name: team.name, via: 'signup' },
      })
      return { ok: true as const, userId: user.id, teamId: team.id, teamSlug: team.slug, redirectTo: pending.redirectTo }
    })
  } catch (err) {
    if (isUniqueViolation(err)) return taken
    throw err
  }
}
