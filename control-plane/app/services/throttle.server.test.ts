import { randomBytes } from 'node:crypto'
import { afterAll, describe, expect, it } from 'vitest'
import { createTestServices } from '../testing/fixtures.ts'
import { clearAttempts, consumeAttempt, consumeAttempts, type ThrottlePolicy } from './throttle.server.ts'

const services = createTestServices()
afterAll(() => services.close())

const MINUTE = 60_000

function policy(limit: number): ThrottlePolicy {
  return { name: `test-${randomBytes(4).toString('hex')}`, limit, windowMs: 15 * MINUTE }
}

describe('fixed-window throttling', () => {
  it('allows `limit` attempts per window, then refuses with the time left in the window', async () => {
    const p = policy(3)
    const start = new Date('2030-01-01T10:00:00Z')
    for (let i = 0; i < 3; i++) expect(await consumeAttempt(services.db, p, 'a@example.test', start)).toEqual({ allowed: true })
    const refused = await consumeAttempt(services.db, p, 'a@example.test', new Date(start.getTime() + 5 * MINUTE))
    expect(refused).toEqual({ allowed: false, retryAfterSeconds: 10 * 60 })
    // Other subjects are counted apart; subjects compare case-insensitively.
    expect((await consumeAttempt(services.db, p, 'b@example.test', start)).allowed).toBe(true)
    expect((await consumeAttempt(services.db, p, 'A@EXAMPLE.TEST', start)).allowed).toBe(false)
  })

  it('starts over when the window has passed: no permanent lockout', async () => {
    const p = policy(2)
    const start = new Date('2030-01-02T10:00:00Z')
    for (let i = 0; i < 5; i++) await consumeAttempt(services.db, p, 'x', start)
    expect((await consumeAttempt(services.db, p, 'x', new Date(start.getTime() + 14 * MINUTE))).allowed).toBe(false)
    expect((await consumeAttempt(services.db, p, 'x', new Date(start.getTime() + 15 * MINUTE))).allowed).toBe(true)
  })

  it('clearing resets the count (a successful login)', async () => {
    const p = policy(1)
    const now = new Date('2030-01-03T10:00:00Z')
    await consumeAttempt(services.db, p, 'y', now)
    expect((await consumeAttempt(services.db, p, 'y', now)).allowed).toBe(false)
    await clearAttempts(services.db, p, 'y')
    expect((await consumeAttempt(services.db, p, 'y', now)).allowed).toBe(true)
  })

  it('counts concurrent attempts exactly', async () => {
    const p = policy(10)
    const now = new Date('2030-01-04T10:00:00Z')
    const results = await Promise.all(Array.from({ length: 25 }, () => consumeAttempt(services.db, p, 'z', now)))
    expect(results.filter((r) => r.allowed)).toHaveLength(10)
  })

  it('checks several policies at once and reports the longest wait', async () => {
    const account = policy(1)
    const ip = { ...policy(100), windowMs: 60 * MINUTE }
    const now = new Date('2030-01-05T10:00:00Z')
    expect(await consumeAttempts(services.db, [[account, 'u'], [ip, '127.0.0.1']], now)).toEqual({ allowed: true })
    expect(await consumeAttempts(services.db, [[account, 'u'], [ip, '127.0.0.1']], now)).toEqual({ allowed: false, retryAfterSeconds: 15 * 60 })
  })
})
