import { type ChildProcess, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { once } from 'node:events'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freePort, isListening } from '../../../test/support/ports.ts'
import { type PrivateRedis, privateRedis } from '../../../test/support/redis-server.ts'
import { createMemoryLimits } from './memory.ts'
import type { BudgetRule, Limits, Reservation } from './ports.ts'
import { createRedisLimits } from './redis.ts'
import { createResilientLimits, type ResilientLimits } from './resilient.ts'

// A private redis-server this file kills and restarts: the shared one stays untouched.
const USD = 1_000_000_000
const REPLICAS = 4

describe('G-REL-19 / G-BUD-04 limits when Redis is unreachable', () => {
  let redis: PrivateRedis
  let direct: Limits
  let limits: ResilientLimits
  const prefix = `limits-${randomBytes(4).toString('hex')}:`
  const budget: BudgetRule = { key: 'team', limit: 1 * USD, period: 'month', timeZone: 'UTC' }
  const perMinute = { key: 'vk', periodMs: 60_000, limit: 100, cost: 1 }
  let inFlight: Reservation | null = null

  beforeAll(async () => {
    redis = await privateRedis()
    await redis.start()
    const fastFailing = { commandTimeout: 300, retryStrategy: () => 100 }
    direct = createRedisLimits({ url: redis.url, prefix, redisOptions: fastFailing })
    limits = createResilientLimits(createRedisLimits({ url: redis.url, prefix, redisOptions: fastFailing }), createMemoryLimits(), {
      replicas: REPLICAS,
      budgetAllowanceFraction: 0.05,
      probeIntervalMs: 50,
    })
  })

  afterAll(async () => {
    await limits?.close()
    await direct?.close()
    await redis?.stop()
  })

  it('uses Redis while it answers', async () => {
    expect((await limits.admit({ rates: [perMinute] })).ok).toBe(true)
    // The shared counter saw it: another replica's view has one call fewer left.
    expect((await direct.admit({ rates: [perMinute] })).rates[0]?.remaining).toBe(98)
    const r = await limits.reserve({ id: 'before', amount: 0.95 * USD, ttlMs: 60_000, budgets: [budget] })
    if (!r.ok) throw new Error('a budget with room rejected')
    expect(r.reservation.store).toBe('redis')
    await limits.settle(r.reservation, 0.9 * USD)
    expect(await direct.budgetStatus(budget)).toMatchObject({ spent: 0.9 * USD, reserved: 0 })
    expect(limits.degraded).toBe(false)
  })

  it('enforces limit ÷ replicas locally once Redis is gone, and reports degraded', async () => {
    await redis.stop()
    const admitted = []
    for (let i = 0; i < 40; i++) admitted.push((await limits.admit({ rates: [{ ...perMinute, key: 'fresh' }] })).ok)
    expect(limits.degraded).toBe(true)
    expect(admitted.filter(Boolean)).toHaveLength(100 / REPLICAS)
    const leases = []
    for (let i = 0; i < 5; i++) leases.push((await limits.admit({ leases: [{ key: 'conc', limit: 8, id: `a${i}`, ttlMs: 60_000 }] })).ok)
    expect(leases.filter(Boolean)).toHaveLength(8 / REPLICAS)
  })

  it('lets a budget spend at most min(last-known remaining, 5 % of the limit) ÷ replicas, then closes', async () => {
    // Last known: $0.10 left of $1.00, so this replica may spend min($0.10, $0.05) ÷ 4 = $0.0125.
    const first = await limits.reserve({ id: 'd1', amount: 0.01 * USD, ttlMs: 60_000, budgets: [budget] })
    if (!first.ok) throw new Error('the local allowance rejected the first call')
    expect(first.reservation.store).toBe('memory')
    expect(await limits.reserve({ id: 'd2', amount: 0.01 * USD, ttlMs: 60_000, budgets: [budget] })).toMatchObject({ ok: false, subject: 'team' })
    await limits.settle(first.reservation, 0.008 * USD)
    const third = await limits.reserve({ id: 'd3', amount: 0.004 * USD, ttlMs: 60_000, budgets: [budget] })
    if (!third.ok) throw new Error('the rest of the local allowance rejected')
    inFlight = third.reservation
    expect((await limits.reserve({ id: 'd4', amount: 0.001 * USD, ttlMs: 60_000, budgets: [budget] })).ok).toBe(false)
    // Never unlimited for a budget Redis never told this replica about: 5 % ÷ 4 of its limit.
    const unknown = { ...budget, key: 'never-seen' }
    expect((await limits.reserve({ id: 'u1', amount: 0.0125 * USD, ttlMs: 60_000, budgets: [unknown] })).ok).toBe(true)
    expect((await limits.reserve({ id: 'u2', amount: 1, ttlMs: 60_000, budgets: [unknown] })).ok).toBe(false)
  })

  it('goes back to Redis when it answers again, replaying the spend settled meanwhile', async () => {
    await redis.start()
    await expect
      .poll(
        async () => {
          await limits.ping()
          return limits.degraded
        },
        { timeout: 15_000, interval: 100 },
      )
      .toBe(false)
    // The restarted server is empty (no persistence) except for what the replay wrote.
    expect(await direct.budgetStatus(budget)).toMatchObject({ spent: 0.008 * USD })
    expect((await limits.admit({ rates: [perMinute] })).ok).toBe(true)
    expect((await direct.admit({ rates: [perMinute] })).rates[0]?.remaining).toBe(98)
    const back = await limits.reserve({ id: 'after', amount: 0.01 * USD, ttlMs: 60_000, budgets: [budget] })
    expect(back).toMatchObject({ ok: true, reservation: { store: 'redis' } })
    // A call admitted locally during the outage and settled after it: its spend reaches Redis at once.
    if (!inFlight) throw new Error('no call in flight')
    await limits.settle(inFlight, 0.003 * USD)
    expect(await direct.budgetStatus(budget)).toMatchObject({ spent: 0.011 * USD })
  })
})

describe('G-BUD-04 calls in flight when Redis dies share one local allowance', () => {
  let redis: PrivateRedis
  let limits: ResilientLimits

  beforeAll(async () => {
    redis = await privateRedis()
    await redis.start()
    const shared = createRedisLimits({ url: redis.url, prefix: 'limits-burst:', redisOptions: { commandTimeout: 300, retryStrategy: () => 100 } })
    limits = createResilientLimits(shared, createMemoryLimits(), { replicas: REPLICAS, budgetAllowanceFraction: 0.05, probeIntervalMs: 60_000 })
  })

  afterAll(async () => {
    await limits?.close()
    await redis?.stop()
  })

  it('admits at most 5 % ÷ replicas of the limit across 30 concurrent calls that all found Redis gone', async () => {
    const budget: BudgetRule = { key: 'team', limit: 1 * USD, period: 'lifetime' }
    const r = await limits.reserve({ id: 'seen', amount: 0.5 * USD, ttlMs: 60_000, budgets: [budget] })
    if (!r.ok) throw new Error('a budget with room rejected')
    await limits.settle(r.reservation, 0.5 * USD)
    await redis.stop()
    // $0.05 ÷ 4 = $0.0125 for this replica: 12 calls of $0.001.
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) => limits.reserve({ id: `burst-${i}`, amount: 0.001 * USD, ttlMs: 60_000, budgets: [budget] })),
    )
    expect(limits.degraded).toBe(true)
    expect(results.filter((x) => x.ok)).toHaveLength(12)
  })
})

describe('G-BUD-03 a settle lost in an outage that keeps its data', () => {
  // A paused (SIGSTOP) server keeps its data and runs the commands that timed out once it is
  // resumed: the case where a settle that "failed" did land after all.
  let server: ChildProcess
  let direct: Limits
  let limits: ResilientLimits

  beforeAll(async () => {
    const port = await freePort()
    server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' })
    const deadline = Date.now() + 10_000
    while (!(await isListening(port))) {
      if (Date.now() > deadline) throw new Error(`redis-server did not start on ${port}`)
      await new Promise((r) => setTimeout(r, 50))
    }
    const url = `redis://127.0.0.1:${port}`
    const redisOptions = { commandTimeout: 300, retryStrategy: () => 100 }
    direct = createRedisLimits({ url, prefix: 'limits-paused:', redisOptions })
    limits = createResilientLimits(createRedisLimits({ url, prefix: 'limits-paused:', redisOptions }), createMemoryLimits(), {
      replicas: REPLICAS,
      probeIntervalMs: 50,
    })
  })

  afterAll(async () => {
    await limits?.close()
    await direct?.close()
    if (server && server.exitCode === null) {
      server.kill('SIGCONT')
      const exited = once(server, 'exit')
      server.kill('SIGKILL')
      await exited
    }
  })

  it('replays it under its own id once Redis answers: spent once, nothing left reserved', async () => {
    const budget: BudgetRule = { key: 'team', limit: 1 * USD, period: 'week', timeZone: 'America/New_York' }
    const r = await limits.reserve({ id: 'call-1', amount: 0.5 * USD, ttlMs: 60_000, budgets: [budget] })
    if (!r.ok) throw new Error('a budget with room rejected')
    server.kill('SIGSTOP')
    await limits.settle(r.reservation, 0.4 * USD)
    expect(limits.degraded).toBe(true)
    server.kill('SIGCONT')
    await expect
      .poll(
        async () => {
          await limits.ping()
          return limits.degraded
        },
        { timeout: 15_000, interval: 100 },
      )
      .toBe(false)
    expect(await direct.budgetStatus(budget)).toMatchObject({ spent: 0.4 * USD, reserved: 0 })
  })
})
