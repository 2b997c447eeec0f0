import { randomBytes } from 'node:crypto'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type PrivateRedis, privateRedis } from '../../../test/support/redis-server.ts'
import type { RoutingStore } from './ports.ts'
import { createRedisRoutingStore } from './redis-store.ts'
import { type RoutingState, startRoutingState } from './routing-state.ts'

// A private redis-server this file kills and restarts: the shared one stays untouched. Routing
// must keep working on each replica's local state and say so (issue #12: "Redis down").
describe('routing state when Redis is unreachable', () => {
  let redis: PrivateRedis
  const stores: RoutingStore[] = []
  let a: RoutingState
  let b: RoutingState
  let direct: RoutingStore
  let bAhead = 0
  const prefix = `routing-${randomBytes(4).toString('hex')}:`
  const group = ['t1', 't2', 't3', 't4']

  const store = () => {
    const s = createRedisRoutingStore({ url: redis.url, prefix, redisOptions: { commandTimeout: 300, retryStrategy: () => 100 } })
    stores.push(s)
    return s
  }
  const fail = (s: RoutingState, target: string) => {
    for (let i = 0; i < 5; i++) s.breakers.record(target, 'failure', group)
  }

  beforeAll(async () => {
    redis = await privateRedis()
    await redis.start()
    const options = { syncIntervalMs: 50, reconcileIntervalMs: 200, replicas: 2, retryBudget: { windowMs: 2000, bucketMs: 250 } }
    a = await startRoutingState({ store: store(), replicaId: 'a', ...options })
    // b's clock can be moved ahead to end a cool-down during the outage.
    b = await startRoutingState({ store: store(), replicaId: 'b', clock: () => Date.now() + bAhead, ...options })
    direct = store()
  })

  afterAll(async () => {
    await a?.close()
    await b?.close()
    await Promise.all(stores.map((s) => s.close()))
    await redis?.stop()
  })

  it('shares breakers while Redis answers', async () => {
    fail(a, 't1')
    await expect.poll(() => b.breakers.allow('t1'), { timeout: 1000 }).toBe('open')
    expect(a.degraded).toBe(false)
    expect(b.degraded).toBe(false)
  })

  it('catches up with a lost announcement through the reconcile poll', async () => {
    expect(b.breakers.allow('quiet')).toBe('closed')
    // Written as a transition would, but never published (pub/sub is at-most-once).
    const raw = new Redis(redis.url)
    await raw.hset(`${prefix}routing:breaker:quiet`, { s: 'open', u: Date.now() + 30_000, n: 1, g: 1, c: 0, h: '', p: 0 })
    raw.disconnect()
    await expect.poll(() => b.breakers.allow('quiet'), { timeout: 1000, interval: 10 }).toBe('open')
  })

  it('keeps deciding on local state once Redis is gone, and reports degraded', async () => {
    await redis.stop()
    await expect.poll(() => a.degraded && b.degraded, { timeout: 5000 }).toBe(true)
    // The breaker opened before the outage stays open on the replica that only heard of it.
    expect(b.breakers.allow('t1')).toBe('open')
    // A new ejection takes effect at once, on local state only.
    fail(a, 't2')
    expect(a.breakers.allow('t2')).toBe('open')
    expect(b.breakers.allow('t2')).toBe('closed')
    // The group share still holds locally: t1 and t2 are out, t3 stays in.
    fail(a, 't3')
    expect(a.breakers.allow('t3')).toBe('closed')
    // Latency and the retry budget keep answering from local counts (floor 3/s ÷ 2 replicas).
    a.latency.observe('t4', { ttftMs: 120, latencyMs: 900 })
    expect(a.latency.snapshot(['t4'])[0]).toMatchObject({ ewmaTtftMs: 120, ewmaLatencyMs: 900 })
    a.retryBudget.recordRequest()
    let granted = 0
    for (let i = 0; i < 10; i++) if (a.retryBudget.tryAcquire()) granted += 1
    expect(granted).toBe(3)
    // A cool-down ending during the outage: the replica claims the probe locally, at once.
    bAhead = 31_000
    expect(b.breakers.allow('t1')).toBe('probe')
    expect(b.breakers.allow('t1')).toBe('open')
    b.breakers.record('t1', 'failure', group)
    expect(b.breakers.status('t1')).toMatchObject({ state: 'open', openings: 2 })
  })

  it('reconciles when Redis is back: local ejections reach the store and the other replicas', async () => {
    bAhead = 0
    await redis.start()
    await expect.poll(() => !a.degraded && !b.degraded, { timeout: 10_000, interval: 50 }).toBe(true)
    // The restarted server was empty; a seeded what it ejected meanwhile, and b reads it back.
    await expect.poll(() => b.breakers.allow('t2'), { timeout: 2000 }).toBe('open')
    expect((await direct.readBreakers(['t1', 't2'])).map((r) => r?.state)).toEqual(['open', 'open'])
    // Samples taken during the outage are flushed too, and read by a replica that asks for them.
    await expect.poll(() => b.latency.snapshot(['t4'])[0]?.ewmaTtftMs, { timeout: 2000 }).toBe(120)
  })
})

describe('routing state started while Redis is away', () => {
  let redis: PrivateRedis
  const stores: RoutingStore[] = []
  const states: RoutingState[] = []

  afterAll(async () => {
    await Promise.all(states.map((s) => s.close()))
    await Promise.all(stores.map((s) => s.close()))
    await redis?.stop()
  })

  it('starts degraded, then subscribes and shares once Redis comes up', async () => {
    redis = await privateRedis()
    const prefix = `routing-${randomBytes(4).toString('hex')}:`
    const start = async (replicaId: string) => {
      const store = createRedisRoutingStore({ url: redis.url, prefix, redisOptions: { commandTimeout: 300, retryStrategy: () => 100 } })
      stores.push(store)
      const state = await startRoutingState({ store, replicaId, syncIntervalMs: 50, reconcileIntervalMs: 10_000 })
      states.push(state)
      return state
    }
    const a = await start('a')
    expect(a.degraded).toBe(true)
    expect(a.breakers.allow('t1')).toBe('closed')
    await redis.start()
    const b = await start('b')
    await expect.poll(() => a.degraded, { timeout: 5000 }).toBe(false)
    // The reconcile poll is 10 s away: only the late subscription can tell a within 1 s.
    await new Promise((r) => setTimeout(r, 200))
    for (let i = 0; i < 5; i++) b.breakers.record('t1', 'failure', ['t1', 't2'])
    await expect.poll(() => a.breakers.allow('t1'), { timeout: 1000, interval: 10 }).toBe('open')
  })
})
