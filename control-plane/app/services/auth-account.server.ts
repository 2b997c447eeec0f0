import { newId } from '@switchyard/shared/ids'
import { z } from 'zod'
import { isUniqueViolation } from '../lib/db.server.ts'
import { recordAuditEvent } from '../models/audit-event.server.ts'
import { createMembership, createTeam } from '../models/team.server.ts'
import { createUserWithName, findUserByEmail, updateUserPasswordHash } from '../models/user.server.ts'
import { freeTeamSlug } from './team-slug.server.ts'
import { NewPassword, passwordProblem } from './auth-password.server.ts'
import { type AuthDeps, type AuthResult, fieldError, rateLimited, type RequestMeta, zodFieldErrors } from './auth-result.server.ts'
import { sendVerificationEmail } from './auth-recovery.server.ts'
import { hashPassword, needsRehash, PASSWORD_MAX_LENGTH, verifyPassword } from './password.server.ts'
import { admitLoginAttempt, recordLoginSuccess } from './login-throttle.server.ts'
import { consumeAttempts, THROTTLES } from './throttle.server.ts'

// Signup and login. Route modules parse nothing themselves: they hand the form's fields here.

const Email = z.string().trim().toLowerCase().pipe(z.email({ message: 'Enter a valid email address.' }).max(320))

export const SignupInput = z.object({
  email: Email,
  name: z.string().trim().min(1, 'Tell us your name.').max(100, 'Use at most 100 characters.'),
  password: NewPassword,
  team: z.string().trim().min(1, 'Name your team.').max(100, 'Use at most 100 characters.'),
})

export const LoginInput = z.object({
  email: Email,
  password: z.string().min(1, 'Enter your password.').max(PASSWORD_MAX_LENGTH, `Passwords have at most ${PASSWORD_MAX_LENGTH} characters.`),
})

export async function signup(
  deps: AuthDeps,
  fields: Record<string, unknown>,
  meta: RequestMeta,
): Promise<AuthResult<{ userId: string; teamId: string; teamSlug: string }>> {
  const parsed = SignupInput.safeParse(fields)
  if (!parsed.success) return { ok: false, code: 'validation_failed', fieldErrors: zodFieldErrors(parsed.error) }
  const input = parsed.data
  const throttle = await consumeAttempts(deps.db, [[THROTTLES.signupIp, meta.ip], [THROTTLES.signupAccount, input.email]])
  if (!throttle.allowed) return rateLimited(throttle.retryAfterSeconds)
  const problem = passwordProblem(input.password, input.email)
  if (problem) return fieldError('password', problem)
  const taken = { ok: false as const, code: 'conflict' as const, message: 'An account with this email already exists.', fieldErrors: { email: 'An account with this email already exists. Log in instead.' } }
  if (await findUserByEmail(deps.db, input.email)) return taken
  const passwordHash = await hashPassword(input.password)
  let created: { userId: string; teamId: string; teamSlug: string }
  try {
    created = await deps.db.$transaction(async (tx) => {
      const user = await createUserWithName(tx, { id: newId('user'), email: input.email, name: input.name, passwordHash })
      const team = await createTeam(tx, { id: newId('team'), name: input.team, slug: await freeTeamSlug(tx, input.team) })
      await createMembership(tx, { id: newId('membership'), teamId: team.id, userId: user.id, role: 'owner' })
      await recordAuditEvent(tx, {
        teamId: team.id, actorUserId: user.id, actorTokenId: null, action: 'team.create', targetType: 'team', targetId: team.id, details: { name: team.name, via: 'signup' },
      })
      return { userId: user.id, teamId: team.id, teamSlug: team.slug }
    })
  } catch (err) {
    if (isUniqueViolation(err)) return taken
    throw err
  }
  await sendVerificationEmail(deps, { id: created.userId, email: input.email })
  return { ok: true, ...created }
}

let dummyHash: Promise<string> | null = null
/** Unknown emails cost one Argon2 verification too, so timing does not reveal which exist. */
function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword('switchyard-timing-equaliser')
  return dummyHash
}

export async function login(
  deps: AuthDeps,
  fields: Record<string, unknown>,
  meta: RequestMeta,
): Promise<AuthResult<{ userId: string }>> {
  const parsed = LoginInput.safeParse(fields)
  if (!parsed.success) return { ok: false, code: 'validation_failed', fieldErrors: zodFieldErrors(parsed.error) }
  const { email, password } = parsed.data
  // Counted before any password is checked: throttling caps Argon2 work (login-throttle.server.ts).
  const throttle = await admitLoginAttempt(deps.db, { email, ip: meta.ip })
  if (!throttle.allowed) return rateLimited(throttle.retryAfterSeconds)
  const user = await findUserByEmail(deps.db, email)
  const valid = user ? await verifyPassword(user.passwordHash, password) : await verifyPassword(await dummyPasswordHash(), password).then(() => false)
  if (!user || !valid) return { ok: false, code: 'invalid_credentials', message: 'Wrong email or password.' }
  await recordLoginSuccess(deps.db, { email, ip: meta.ip })
  if (needsRehash(user.passwordHash)) await updateUserPasswordHash(deps.db, user.id, await hashPassword(password))
  return { ok: true, userId: user.id }
}
