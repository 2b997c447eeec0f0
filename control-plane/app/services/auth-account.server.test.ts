import { hash } from '@node-rs/argon2'
import { afterAll, describe, expect, it } from 'vitest'
import { findUserByEmail } from '../models/user.server.ts'
import { listMembershipsOfUser } from '../models/team.server.ts'
import { createTestServices, seedToken, uniqueEmail } from '../testing/fixtures.ts'
import { login } from './auth-account.server.ts'
import { confirmSignup, signup } from './auth-signup.server.ts'
import { defaultConsoleConfig } from './auth-config.server.ts'
import { passwordProblem } from './auth-password.server.ts'
import { changePassword, requestPasswordReset, resetPassword, sendVerificationEmail, verifyEmail } from './auth-recovery.server.ts'
import type { AuthDeps } from './auth-result.server.ts'
import { createMailer } from './email.server.ts'
import { needsRehash } from './password.server.ts'
import { createSession, validateSessionToken } from './session.server.ts'

const services = createTestServices()
afterAll(() => services.close())

const PASSWORD = 'correct horse battery staple'
const meta = { ip: '192.0.2.1' }

function deps(): AuthDeps {
  return { db: services.db, mailer: createMailer({ smtpUrl: null, from: 'x@y.z', log: () => {} }), config: defaultConsoleConfig() }
}

function linkToken(d: AuthDeps, path: string): string {
  const link = d.mailer.outbox().find((e) => e.link.includes(path))?.link
  if (!link) throw new Error(`no ${path} email`)
  return link.split(path)[1]!
}

/** Signs up and follows the emailed link, which creates the account. */
async function signupConfirmed(d: AuthDeps, fields: { email: string; name: string; password: string; team: string }) {
  const sent = await signup(d, fields, meta)
  if (!sent.ok) return sent
  return confirmSignup(d, linkToken(d, '/verify-email/'))
}

describe('password rules', () => {
  it('takes 8–256 characters whole and refuses common passwords and the email', () => {
    expect(passwordProblem('short')).toMatch(/at least 8/)
    expect(passwordProblem('x'.repeat(257))).toMatch(/at most 256/)
    expect(passwordProblem('é'.repeat(256))).toBeNull()
    expect(passwordProblem('password1')).toMatch(/too common/)
    expect(passwordProblem('Iloveyou')).toMatch(/too common/)
    expect(passwordProblem('me@example.test', 'me@example.test')).toMatch(/email/)
    expect(passwordProblem(PASSWORD)).toBeNull()
  })

  it('asks for a rehash below m=19456, t=2, p=1 Argon2id', async () => {
    expect(needsRehash(await hash('x', { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 }))).toBe(false)
    expect(needsRehash(await hash('x', { algorithm: 2, memoryCost: 8_192, timeCost: 2, parallelism: 1 }))).toBe(true)
    expect(needsRehash('$2b$10$abcdefghijklmnopqrstuv')).toBe(true)
  })
})

describe('signup and login', () => {
  it('creates the user and a team they own only when the emailed link is used', async () => {
    const d = deps()
    const email = uniqueEmail('signup')
    const sent = await signup(d, { email: email.toUpperCase(), name: 'Ada', password: PASSWORD, team: 'Engines & Co', redirectTo: '/invites/abc' }, meta)
    expect(sent).toEqual({ ok: true, email })
    expect(await findUserByEmail(services.db, email)).toBeNull()
    expect(d.mailer.outbox()[0]).toMatchObject({ to: email, subject: expect.stringContaining('Confirm') })
    const token = linkToken(d, '/verify-email/')
    const result = await confirmSignup(d, token)
    // An invitation's redirectTo travels with the pending signup to its link.
    expect(result).toMatchObject({ ok: true, teamSlug: expect.stringMatching(/^engines-co/), redirectTo: '/invites/abc' })
    if (!result.ok) return
    expect(await listMembershipsOfUser(services.db, result.userId)).toEqual([{ role: 'owner', team: expect.objectContaining({ id: result.teamId }) }])
    expect((await services.db.user.findUnique({ where: { email } }))?.emailVerifiedAt).not.toBeNull()
    expect(await confirmSignup(d, token)).toMatchObject({ ok: false, code: 'invalid_token' })
    expect(await login(d, { email, password: PASSWORD }, meta)).toMatchObject({ ok: true })
  })

  it('answers an existing email exactly like a new one, and tells its owner instead', async () => {
    const d = deps()
    const email = uniqueEmail('taken')
    await signupConfirmed(d, { email, name: 'Ada', password: PASSWORD, team: 'X' })
    const fresh = uniqueEmail('fresh')
    const forNew = await signup(d, { email: fresh, name: 'Eve', password: 'an attacker passphrase', team: 'Y' }, meta)
    const forExisting = await signup(d, { email, name: 'Eve', password: 'an attacker passphrase', team: 'Y' }, meta)
    expect(forExisting).toEqual({ ok: true, email })
    expect(Object.keys(forExisting)).toEqual(Object.keys(forNew))
    expect(d.mailer.outbox()[0]).toMatchObject({ to: email, subject: expect.stringContaining('tried to sign up'), link: expect.stringContaining('/forgot-password') })
    // Nothing about the existing account changed: its password still works, the attacker's does not.
    expect(await login(d, { email, password: PASSWORD }, meta)).toMatchObject({ ok: true })
    expect(await login(d, { email, password: 'an attacker passphrase' }, meta)).toMatchObject({ ok: false })
  })

  it('an existing account\'s own confirmation link (resend) still verifies it once', async () => {
    const d = deps()
    const email = uniqueEmail('resend')
    const created = await signupConfirmed(d, { email, name: 'R', password: PASSWORD, team: 'R' })
    if (!created.ok) throw new Error('signup failed')
    await services.db.user.update({ where: { email }, data: { emailVerifiedAt: null } })
    await sendVerificationEmail(d, { id: created.userId, email })
    expect(await verifyEmail(d, linkToken(d, '/verify-email/'))).toBe(true)
    expect(await verifyEmail(d, linkToken(d, '/verify-email/'))).toBe(false)
  })

  it('refuses bad fields inline and a wrong password without saying which part was wrong', async () => {
    const d = deps()
    expect(await signup(d, { email: 'nope', name: '', password: 'password', team: '' }, meta)).toMatchObject({
      ok: false,
      fieldErrors: { email: expect.any(String), name: expect.any(String), password: expect.stringMatching(/common/), team: expect.any(String) },
    })
    expect(await login(d, { email: uniqueEmail('ghost'), password: PASSWORD }, meta)).toMatchObject({ ok: false, code: 'invalid_credentials', message: 'Wrong email or password.' })
  })

  it('rehashes a weak stored hash on a successful login', async () => {
    const d = deps()
    const email = uniqueEmail('rehash')
    await signupConfirmed(d, { email, name: 'R', password: PASSWORD, team: 'R' })
    const weak = await hash(PASSWORD, { algorithm: 2, memoryCost: 4_096, timeCost: 1, parallelism: 1 })
    await services.db.user.update({ where: { email }, data: { passwordHash: weak } })
    expect(await login(d, { email, password: PASSWORD }, meta)).toMatchObject({ ok: true })
    const stored = (await findUserByEmail(services.db, email))!.passwordHash
    expect(stored).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/)
  })
})

describe('password reset', () => {
  it('works once through the emailed link and ends every session', async () => {
    const d = deps()
    const email = uniqueEmail('reset')
    const created = await signupConfirmed(d, { email, name: 'R', password: PASSWORD, team: 'R' })
    if (!created.ok) throw new Error('signup failed')
    const { token: sessionToken } = await createSession(services.db, { userId: created.userId })
    expect(await requestPasswordReset(d, { email }, meta)).toEqual({ ok: true })
    expect(await requestPasswordReset(d, { email: uniqueEmail('nobody') }, meta)).toEqual({ ok: true })
    const token = linkToken(d, '/reset-password/')

    expect(await resetPassword(d, token, { password: 'password', confirm: 'password' })).toMatchObject({ ok: false, fieldErrors: { password: expect.stringMatching(/common/) } })
    expect(await resetPassword(d, token, { password: 'brand new passphrase', confirm: 'brand new passphrase' })).toMatchObject({ ok: true })
    expect(await validateSessionToken(services.db, sessionToken)).toBeNull()
    expect(await resetPassword(d, token, { password: 'another passphrase', confirm: 'another passphrase' })).toMatchObject({ ok: false, code: 'invalid_token' })
    expect(await login(d, { email, password: 'brand new passphrase' }, meta)).toMatchObject({ ok: true })
  })

  it('refuses an expired link', async () => {
    const d = deps()
    const email = uniqueEmail('expired')
    await signupConfirmed(d, { email, name: 'E', password: PASSWORD, team: 'E' })
    await requestPasswordReset(d, { email }, meta)
    const token = linkToken(d, '/reset-password/')
    await services.db.emailToken.updateMany({ where: { user: { email }, purpose: 'reset_password' }, data: { expiresAt: new Date(Date.now() - 1000) } })
    expect(await resetPassword(d, token, { password: 'brand new passphrase', confirm: 'brand new passphrase' })).toMatchObject({ ok: false, code: 'invalid_token' })
  })
})

describe('G-SEC-10 a new password ends sessions and, unless unticked, admin tokens', () => {
  async function userWithToken(label: string) {
    const d = deps()
    const email = uniqueEmail(label)
    const created = await signupConfirmed(d, { email, name: 'T', password: PASSWORD, team: 'T' })
    if (!created.ok) throw new Error('signup failed')
    const { tokenId } = await seedToken(services.db, { teamId: created.teamId, userId: created.userId, role: 'owner' })
    const live = async () => (await services.db.adminToken.findUnique({ where: { id: tokenId } }))?.revokedAt === null
    return { d, email, created, live }
  }

  it('a reset revokes the admin tokens by default and keeps them when the box is unticked', async () => {
    const revoke = await userWithToken('reset-tokens')
    await requestPasswordReset(revoke.d, { email: revoke.email }, meta)
    const reset = await resetPassword(revoke.d, linkToken(revoke.d, '/reset-password/'), { password: 'brand new passphrase', confirm: 'brand new passphrase' })
    expect(reset).toMatchObject({ ok: true, revokedTokens: 1 })
    expect(await revoke.live()).toBe(false)
    const audit = await services.db.auditEvent.findMany({ where: { teamId: revoke.created.teamId, action: 'admin_token.revoke' } })
    expect(audit.map((a) => a.details)).toEqual([expect.objectContaining({ reason: 'password_reset' })])

    const keep = await userWithToken('reset-keep')
    await requestPasswordReset(keep.d, { email: keep.email }, meta)
    const kept = await resetPassword(keep.d, linkToken(keep.d, '/reset-password/'), {
      password: 'brand new passphrase', confirm: 'brand new passphrase', revokeApiTokens: 'off',
    })
    expect(kept).toMatchObject({ ok: true, revokedTokens: 0 })
    expect(await keep.live()).toBe(true)
  })

  it('a password change revokes them too, and keeps the current session only', async () => {
    const u = await userWithToken('change-tokens')
    const { session } = await createSession(services.db, { userId: u.created.userId })
    const other = await createSession(services.db, { userId: u.created.userId })
    const changed = await changePassword(u.d, { userId: u.created.userId, sessionId: session.id }, {
      currentPassword: PASSWORD, newPassword: 'brand new passphrase', confirm: 'brand new passphrase', revokeApiTokens: 'on',
    })
    expect(changed).toMatchObject({ ok: true, endedSessions: 1, revokedTokens: 1 })
    expect(await validateSessionToken(services.db, other.token)).toBeNull()
    expect(await u.live()).toBe(false)
  })
})
