import { afterAll, describe, expect, it } from 'vitest'
import { createTestServices, uniqueEmail } from '../testing/fixtures.ts'
import { admitLoginAttempt, recordLoginSuccess } from './login-throttle.server.ts'

const services = createTestServices()
afterAll(() => services.close())

const MINUTE = 60_000
let ipCounter = 0
/** A documentation-range address no other test uses. */
const freshIp = () => `198.51.${Math.floor(++ipCounter / 250)}.${ipCounter % 250}`

describe('G-SEC-09 login throttling keyed by account and source', () => {
  it('200 wrong passwords from one source in 60 s: at most 100 reach Argon2, the rest wait a Retry-After', async () => {
    const email = uniqueEmail('gsec09')
    const ip = freshIp()
    const start = new Date('2031-01-01T10:00:00Z')
    const results = []
    for (let i = 0; i < 200; i++) results.push(await admitLoginAttempt(services.db, { email, ip }, new Date(start.getTime() + i * 300)))
    const admitted = results.filter((r) => r.allowed).length
    expect(admitted).toBeLessThanOrEqual(100)
    expect(admitted).toBe(10)
    for (const r of results.filter((x) => !x.allowed)) expect(r.allowed === false && r.retryAfterSeconds > 0).toBe(true)
  })

  it("an attacker's source cannot lock the owner out from another source", async () => {
    const email = uniqueEmail('victim')
    const now = new Date('2031-01-02T10:00:00Z')
    const attacker = freshIp()
    for (let i = 0; i < 50; i++) await admitLoginAttempt(services.db, { email, ip: attacker }, now)
    expect((await admitLoginAttempt(services.db, { email, ip: attacker }, now)).allowed).toBe(false)
    expect((await admitLoginAttempt(services.db, { email, ip: freshIp() }, now)).allowed).toBe(true)
  })

  it('many sources together hit the hourly account cap, which a source that logged in before skips', async () => {
    const email = uniqueEmail('distributed')
    const now = new Date('2031-01-03T10:00:00Z')
    const owner = freshIp()
    expect((await admitLoginAttempt(services.db, { email, ip: owner }, now)).allowed).toBe(true)
    await recordLoginSuccess(services.db, { email, ip: owner }, now)
    // 20 guessing sources × 10 attempts: only the first 100 (minus the owner's 1) are admitted.
    let admitted = 0
    for (let s = 0; s < 20; s++) {
      const ip = freshIp()
      for (let i = 0; i < 10; i++) if ((await admitLoginAttempt(services.db, { email, ip }, now)).allowed) admitted++
    }
    expect(admitted).toBe(99)
    expect((await admitLoginAttempt(services.db, { email, ip: freshIp() }, now)).allowed).toBe(false)
    expect((await admitLoginAttempt(services.db, { email, ip: owner }, now)).allowed).toBe(true)
  })

  it('works again once the window has passed: a backoff, never a permanent lockout', async () => {
    const email = uniqueEmail('backoff')
    const ip = freshIp()
    const start = new Date('2031-01-04T10:00:00Z')
    for (let i = 0; i < 11; i++) await admitLoginAttempt(services.db, { email, ip }, start)
    const refused = await admitLoginAttempt(services.db, { email, ip }, new Date(start.getTime() + 5 * MINUTE))
    expect(refused).toEqual({ allowed: false, retryAfterSeconds: 10 * 60 })
    expect((await admitLoginAttempt(services.db, { email, ip }, new Date(start.getTime() + 15 * MINUTE))).allowed).toBe(true)
  })
})
