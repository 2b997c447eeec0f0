import { newId } from '@switchyard/shared/ids'
import { afterAll, describe, expect, it } from 'vitest'
import { createTestServices, uniqueEmail } from '../testing/fixtures.ts'
import { createUser } from '../models/user.server.ts'
import { listLiveSessionsOfUser } from '../models/session.server.ts'
import {
  createSession,
  generateSessionToken,
  invalidateSession,
  invalidateUserSessions,
  SESSION_ABSOLUTE_MS,
  SESSION_INACTIVITY_MS,
  sessionIdFromToken,
  validateSessionToken,
} from './session.server.ts'
import { readCookie, serializeBlankSessionCookie, serializeSessionCookie } from './session-cookie.server.ts'

const services = createTestServices()
afterAll(() => services.close())

const DAY = 24 * 60 * 60 * 1000

async function newUser() {
  return createUser(services.db, { id: newId('user'), email: uniqueEmail('session'), passwordHash: 'x' })
}

describe('session tokens', () => {
  it('are 20 random bytes in base32 (32 characters); the stored id is their SHA-256 hex', async () => {
    const token = generateSessionToken()
    expect(token).toMatch(/^[a-z2-7]{32}$/)
    expect(generateSessionToken()).not.toBe(token)
    expect(sessionIdFromToken(token)).toMatch(/^[0-9a-f]{64}$/)
    const user = await newUser()
    const { token: t, session } = await createSession(services.db, { userId: user.id })
    expect(session.id).toBe(sessionIdFromToken(t))
    expect(session.id).not.toContain(t)
  })

  it('rejects malformed and unknown tokens', async () => {
    expect(await validateSessionToken(services.db, 'not a token')).toBeNull()
    expect(await validateSessionToken(services.db, generateSessionToken())).toBeNull()
  })
})

describe('session expiry', () => {
  it('slides the inactivity expiry only once less than half of it remains', async () => {
    const user = await newUser()
    const start = new Date('2030-01-01T00:00:00Z')
    const { token, session } = await createSession(services.db, { userId: user.id, now: start })
    expect(session.expiresAt.getTime()).toBe(start.getTime() + SESSION_INACTIVITY_MS)
    expect(session.absoluteExpiresAt.getTime()).toBe(start.getTime() + SESSION_ABSOLUTE_MS)

    const early = await validateSessionToken(services.db, token, new Date(start.getTime() + 2 * DAY))
    expect(early?.session.expiresAt.getTime()).toBe(session.expiresAt.getTime())

    const later = new Date(start.getTime() + 5 * DAY)
    const extended = await validateSessionToken(services.db, token, later)
    expect(extended?.session.expiresAt.getTime()).toBe(later.getTime() + SESSION_INACTIVITY_MS)
    expect(extended?.user).toMatchObject({ id: user.id, email: user.email })
  })

  it('ends after the inactivity window without use, and deletes the row', async () => {
    const user = await newUser()
    const start = new Date('2030-02-01T00:00:00Z')
    const { token } = await createSession(services.db, { userId: user.id, now: start })
    expect(await validateSessionToken(services.db, token, new Date(start.getTime() + SESSION_INACTIVITY_MS + 1))).toBeNull()
    expect(await validateSessionToken(services.db, token, new Date(start.getTime() + DAY))).toBeNull()
  })

  it('never outlives the absolute lifetime, however active', async () => {
    const user = await newUser()
    const start = new Date('2030-03-01T00:00:00Z')
    const { token } = await createSession(services.db, { userId: user.id, now: start })
    let last = null
    for (let day = 4; day < 30; day += 4) {
      last = await validateSessionToken(services.db, token, new Date(start.getTime() + day * DAY))
      expect(last).not.toBeNull()
      expect(last!.session.expiresAt.getTime()).toBeLessThanOrEqual(start.getTime() + SESSION_ABSOLUTE_MS)
    }
    expect(await validateSessionToken(services.db, token, new Date(start.getTime() + SESSION_ABSOLUTE_MS))).toBeNull()
  })
})

describe('invalidation', () => {
  it('ends one session, all of a user’s, or all but the current one', async () => {
    const user = await newUser()
    const a = await createSession(services.db, { userId: user.id })
    const b = await createSession(services.db, { userId: user.id })
    const c = await createSession(services.db, { userId: user.id })
    await invalidateSession(services.db, a.session.id)
    expect(await validateSessionToken(services.db, a.token)).toBeNull()
    expect(await invalidateUserSessions(services.db, user.id, b.session.id)).toBe(1)
    expect(await validateSessionToken(services.db, c.token)).toBeNull()
    expect(await validateSessionToken(services.db, b.token)).not.toBeNull()
    expect(await invalidateUserSessions(services.db, user.id)).toBe(1)
    expect(await listLiveSessionsOfUser(services.db, user.id, new Date())).toEqual([])
  })
})

describe('session cookie', () => {
  const expires = new Date(Date.now() + SESSION_ABSOLUTE_MS)

  it('is HttpOnly, SameSite=Lax, Path=/ and plain-named in development', () => {
    const cookie = serializeSessionCookie('tok', expires, false)
    expect(cookie).toMatch(/^switchyard_session=tok; Path=\/; HttpOnly; SameSite=Lax; Max-Age=\d+; Expires=/)
    expect(cookie).not.toContain('Secure')
  })

  it('is Secure with the __Host- prefix in production, and no Domain', () => {
    const cookie = serializeSessionCookie('tok', expires, true)
    expect(cookie).toMatch(/^__Host-switchyard_session=tok; Path=\/; HttpOnly; SameSite=Lax; Secure; Max-Age=\d+/)
    expect(cookie).not.toContain('Domain')
    expect(serializeBlankSessionCookie(true)).toMatch(/^__Host-switchyard_session=; .*Max-Age=0/)
  })

  it('is read back by name from a Cookie header', () => {
    expect(readCookie('a=1; switchyard_session=abc; b=2', 'switchyard_session')).toBe('abc')
    expect(readCookie('a=1', 'switchyard_session')).toBeNull()
    expect(readCookie(null, 'switchyard_session')).toBeNull()
  })
})
