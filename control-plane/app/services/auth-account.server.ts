import { z } from 'zod'
import { findUserByEmail, updateUserPasswordHash } from '../models/user.server.ts'
import { NewPassword } from './auth-password.server.ts'
import { type AuthDeps, type AuthResult, rateLimited, type RequestMeta, zodFieldErrors } from './auth-result.server.ts'
import { hashPassword, needsRehash, PASSWORD_MAX_LENGTH, verifyPassword } from './password.server.ts'
import { admitLoginAttempt, recordLoginSuccess } from './login-throttle.server.ts'

// Login (and the signup form's schema; signup itself is auth-signup.server.ts). Route modules
// parse nothing themselves: they hand the form's fields here.

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
