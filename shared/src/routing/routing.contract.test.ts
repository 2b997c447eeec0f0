import { randomBytes } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { testRedisPrefix, testRedisUrl } from '../../../test/support/services.ts'
import { createMemoryRoutingStore } from './memory-store.ts'
import { BreakerConfigSchema, type BreakerTransition, type RoutingStore } from './ports.ts'
import { createRedisRoutingStore } from './redis-store.ts'
import { type RoutingState, type RoutingStateOptions, startRoutingState } from './routing-state.ts'

// One contract for the Redis store and its in-memory twin (issue #12): several replicas
// (RoutingState instances) share one store, as data-plane processes share Redis.
const stores: Record<string, () => () => RoutingStore> = {
  memory: () => {
    const store = createMemoryRoutingStore()
    return () => store
  },
  redis: () => {
    const prefix = testRedisPrefix(`routing-${randomBytes(4).toString('hex')}`)
    return () => createRedisRoutingStore({ url: testRedisUrl(), prefix })
  },
}

const open: RoutingState[] = []
const closers: (() => Promise<void>)[] = []
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()))
  await Promise.all(closers.splice(0).map((c) => c()))
})

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const SECOND = 1000

describe.each(Object.keys(stores))('%s routing state', (kind) => {
  let now = 1_700_000_000_000
  const clock = () => now

  async function replicas(n: number, options: Partial<RoutingStateOptions> = {}): Promise<RoutingState[]> {
    now = 1_700_000_000_000
    const storeFor = stores[kind]!()
    return Promise.all(
      Array.from({ length: n }, async (_, i) => {
        const store = storeFor()
        if (kind === 'redis') closers.push(() => store.close())
        const state = await startRoutingState({ store, replicaId: `r${i}`, clock, syncIntervalMs: 50, reconcileIntervalMs: 300, ...options })
        open.push(state)
        return state
      }),
    )
  }

  const fail = (s: RoutingState, target: string, group: string[], times = 5) => {
    for (let i = 0; i < times; i++) s.breakers.record(target, 'failure', group)
  }
  /** Asks until the breaker hands out its probe (the claim goes through the store first). */
  const probe = (s: RoutingState, target: string) => expect.poll(() => s.breakers.allow(target), { timeout: 2000, interval: 10 }).toBe('probe')

  describe('G-REL-15 circuit breaker', () => {
    const group = ['a', 'b']

    it('opens after 5 consecutive failures, and a success in between resets the count', async () => {
      const [r] = await replicas(1)
      fail(r!, 'a', group, 4)
      r!.breakers.record('a', 'success', group)
      fail(r!, 'a', group, 4)
      expect(r!.breakers.allow('a')).toBe('closed')
      expect(r!.breakers.status('a')).toMatchObject({ state: 'closed', consecutiveFailures: 4 })
      r!.breakers.record('a', 'failure', group)
      // Synchronously: the very next decision on this replica skips the target.
      expect(r!.breakers.allow('a')).toBe('open')
      expect(r!.breakers.status('a')).toMatchObject({ state: 'open', openUntil: now + 30 * SECOND, openings: 1 })
      await sleep(100)
      expect(r!.breakers.allow('a')).toBe('open')
      expect(r!.breakers.allow('b')).toBe('closed')
    })

    it('doubles the cool-down on each failed probe, caps it at 5 min, and a good probe closes it', async () => {
      const [r] = await replicas(1)
      fail(r!, 'a', group)
      const cooldowns: number[] = []
      for (let round = 0; round < 6; round++) {
        const { openUntil } = r!.breakers.status('a')
        cooldowns.push((openUntil - now) / SECOND)
        now = openUntil - 1
        expect(r!.breakers.allow('a')).toBe('open')
        now = openUntil
        await probe(r!, 'a')
        // One probe per cool-down: the next asks skip the target until the probe reports.
        expect(r!.breakers.allow('a')).toBe('open')
        r!.breakers.record('a', 'failure', group)
        await expect.poll(() => r!.breakers.status('a').openUntil > now).toBe(true)
      }
      expect(cooldowns).toEqual([30, 60, 120, 240, 300, 300])
      now = r!.breakers.status('a').openUntil
      await probe(r!, 'a')
      r!.breakers.record('a', 'success', group)
      expect(r!.breakers.allow('a')).toBe('closed')
      await sleep(100)
      expect(r!.breakers.status('a')).toMatchObject({ state: 'closed', consecutiveFailures: 0 })
    })

    it('hands out exactly one probe across replicas when the cool-down ends', async () => {
      const all = await replicas(3)
      fail(all[0]!, 'a', group)
      await expect.poll(() => all.map((s) => s.breakers.allow('a')), { timeout: 1000 }).toEqual(['open', 'open', 'open'])
      now += 30 * SECOND
      let probes = 0
      const deadline = Date.now() + 500
      while (Date.now() < deadline) {
        for (const s of all) if (s.breakers.allow('a') === 'probe') probes += 1
        await sleep(5)
      }
      expect(probes).toBe(1)
      const holder = all.find((s) => s.breakers.status('a').state === 'half-open' && s.breakers.allow('a') === 'open')
      expect(holder).toBeDefined()
    })

    it('the store grants the probe to one of several concurrent claimers, and only the holder reports', async () => {
      const storeFor = stores[kind]!()
      const store = storeFor()
      closers.push(() => store.close())
      const config = BreakerConfigSchema.parse({})
      const t = (op: BreakerTransition['op'], replicaId: string, at: number): BreakerTransition => ({ op, targetId: 'a', group, replicaId, now: at, config })
      expect((await store.transitionBreaker(t('open', 'r0', now))).applied).toBe(true)
      expect((await store.transitionBreaker(t('claim', 'r0', now + 29_999))).applied).toBe(false)
      const claims = await Promise.all(['r0', 'r1', 'r2', 'r3'].map((r) => store.transitionBreaker(t('claim', r, now + 30_000))))
      const won = claims.filter((c) => c.applied)
      expect(won).toHaveLength(1)
      const holder = won[0]!.record.holder
      expect((await store.transitionBreaker(t('close', holder === 'r0' ? 'r1' : 'r0', now + 30_001))).applied).toBe(false)
      const closed = await store.transitionBreaker(t('close', holder, now + 30_001))
      expect(closed).toMatchObject({ applied: true, record: { state: 'closed', openings: 1, closedAt: now + 30_001 } })
      expect(await store.readBreakers(['a', 'b'])).toMatchObject([{ state: 'closed' }, null])
    })

    it("with failedProbeCooldown 'same', a failed probe re-opens for the same cool-down", async () => {
      const storeFor = stores[kind]!()
      const store = storeFor()
      closers.push(() => store.close())
      const config = BreakerConfigSchema.parse({ failedProbeCooldown: 'same' })
      const t = (op: BreakerTransition['op'], at: number): BreakerTransition => ({ op, targetId: 'a', group, replicaId: 'r0', now: at, config })
      await store.transitionBreaker(t('open', now))
      await store.transitionBreaker(t('claim', now + 30_000))
      const reopened = await store.transitionBreaker(t('reopen', now + 30_000))
      expect(reopened).toMatchObject({ applied: true, record: { state: 'open', openings: 1, openUntil: now + 60_000 } })
    })

    it('a successful probe closes the breaker on every replica', async () => {
      const [a, b] = await replicas(2)
      fail(a!, 'a', group)
      await expect.poll(() => b!.breakers.allow('a'), { timeout: 1000 }).toBe('open')
      now += 30 * SECOND
      await probe(b!, 'a')
      b!.breakers.record('a', 'success', group)
      await expect.poll(() => a!.breakers.allow('a'), { timeout: 1000 }).toBe('closed')
    })

    it('never ejects more than half of a group: the 3rd failing target of 4 stays in service', async () => {
      const [a, b] = await replicas(2)
      const four = ['t1', 't2', 't3', 't4']
      fail(a!, 't1', four)
      fail(a!, 't2', four)
      fail(a!, 't3', four)
      expect(a!.breakers.allow('t3')).toBe('closed')
      expect(a!.breakers.status('t3')).toMatchObject({ state: 'closed', ejectionDeferred: true })
      // Another replica's view may lag, but the store refuses the ejection all the same.
      fail(b!, 't4', four)
      await expect.poll(() => b!.breakers.allow('t4'), { timeout: 1000 }).toBe('closed')
      expect(b!.breakers.status('t4').ejectionDeferred).toBe(true)
      expect([a, b].flatMap((s) => four.map((t) => s!.breakers.allow(t)))).toEqual(['open', 'open', 'closed', 'closed', 'open', 'open', 'closed', 'closed'])
      // One ejected target comes back: the deferred one is ejected at its next failure.
      now += 30 * SECOND
      await probe(a!, 't1')
      a!.breakers.record('t1', 'success', four)
      await sleep(50)
      a!.breakers.record('t3', 'failure', four)
      await expect.poll(() => b!.breakers.allow('t3'), { timeout: 1000 }).toBe('open')
      // A group of one may lose its only member (≥ 1 is always allowed).
      fail(a!, 'solo', ['solo'])
      expect(a!.breakers.allow('solo')).toBe('open')
    })

    it('an opening on one replica is visible on another within 1 s', async () => {
      const [a, b] = await replicas(2, { reconcileIntervalMs: 10_000 })
      expect(b!.breakers.allow('a')).toBe('closed')
      const started = Date.now()
      fail(a!, 'a', group)
      await expect.poll(() => b!.breakers.allow('a'), { timeout: 1000, interval: 5 }).toBe('open')
      expect(Date.now() - started).toBeLessThan(1000)
      expect(b!.breakers.status('a')).toMatchObject({ state: 'open', openings: 1 })
    })
  })

  describe('latency (EWMA and p90 TTFT)', () => {
    it('converges, and every replica reads the merged view', async () => {
      const [a, b] = await replicas(2)
      for (let i = 0; i < 50; i++) a!.latency.observe('x', { ttftMs: 500, latencyMs: 5000 })
      for (let i = 0; i < 50; i++) a!.latency.observe('x', { ttftMs: 100, latencyMs: 1000 })
      const [local] = a!.latency.snapshot(['x'])
      expect(local!.ewmaTtftMs).toBeCloseTo(100, 0)
      expect(local!.ewmaLatencyMs).toBeCloseTo(1000, -1)
      expect(local!.samples).toBeCloseTo(100, 5)
      expect(b!.latency.snapshot(['x'])[0]).toMatchObject({ samples: 0, ewmaTtftMs: null, p90TtftMs: null })
      await a!.sync()
      await b!.sync()
      const [seen] = b!.latency.snapshot(['x'])
      expect(seen!.ewmaTtftMs).toBeCloseTo(local!.ewmaTtftMs!, 6)
      expect(seen!.samples).toBeCloseTo(100, 5)
      // B's own samples weigh in by count: 100 at 300 ms against A's 100 at ~100 ms.
      for (let i = 0; i < 100; i++) b!.latency.observe('x', { ttftMs: 300 })
      expect(b!.latency.snapshot(['x'])[0]!.ewmaTtftMs).toBeCloseTo(200, 0)
    })

    it('p90 golden value survives the trip through the store', async () => {
      const [a, b] = await replicas(2)
      for (let v = 1; v <= 1000; v++) a!.latency.observe('x', { ttftMs: v })
      expect(Math.round(a!.latency.snapshot(['x'])[0]!.p90TtftMs!)).toBe(907)
      b!.latency.snapshot(['x'])
      await a!.sync()
      await b!.sync()
      expect(Math.round(b!.latency.snapshot(['x'])[0]!.p90TtftMs!)).toBe(907)
    })
  })

  describe('G-REL-14 retry budget', () => {
    /** Round-robins requests over the replicas for `ms`; every attempt fails and would retry twice. */
    async function failingLoad(all: RoutingState[], intervalMs: number, ms: number) {
      let requests = 0
      const retries = all.map(() => 0)
      const started = Date.now()
      while (Date.now() - started < ms) {
        const i = requests % all.length
        all[i]!.retryBudget.recordRequest()
        requests += 1
        for (let attempt = 0; attempt < 2 && all[i]!.retryBudget.tryAcquire(); attempt++) retries[i]! += 1
        await sleep(intervalMs)
      }
      return { requests, retries, total: retries.reduce((a, b) => a + b, 0), seconds: (Date.now() - started) / 1000 }
    }
    const budget = { windowMs: 2000, bucketMs: 250 }

    it('admits retries ≤ 20 % of requests across 3 replicas, all requests failing at 100/s', async () => {
      const all = await replicas(3, { clock: Date.now, retryBudget: budget })
      const { requests, retries, total } = await failingLoad(all, 10, 3000)
      expect(total).toBeLessThanOrEqual(0.2 * requests + 6)
      // The budget is spent, not withheld: retries happen on every replica.
      expect(total).toBeGreaterThanOrEqual(0.15 * requests)
      for (const r of retries) expect(r).toBeGreaterThan(0)
    })

    it('keeps a separate, smaller share for hedges', async () => {
      const [r] = await replicas(1)
      for (let i = 0; i < 100; i++) {
        r!.retryBudget.recordRequest('hedge')
        r!.retryBudget.recordRequest()
      }
      let hedges = 0
      while (hedges < 50 && r!.retryBudget.tryAcquire('hedge', { ratio: 0.1, minPerSecond: 0 })) hedges += 1
      expect(hedges).toBe(10)
      // The hedges did not spend the retry budget: its floor (3/s over the 10 s window) is all there.
      let retries = 0
      while (retries < 50 && r!.retryBudget.tryAcquire()) retries += 1
      expect(retries).toBe(30)
    })

    it('shares the 3/s floor across replicas instead of granting it to each', async () => {
      const all = await replicas(3, { clock: Date.now, retryBudget: budget })
      // 10 requests/s: 20 % is 2/s, so the floor rules: 6 per 2 s window for all three together.
      const { total } = await failingLoad(all, 100, 3000)
      // A sliding 2 s window over 3 s admits at most two windows' worth (12), plus one per
      // replica for a sync tick's staleness; three local floors would admit ~36.
      expect(total).toBeLessThanOrEqual(15)
      expect(total).toBeGreaterThanOrEqual(6)
    })
  })
})
