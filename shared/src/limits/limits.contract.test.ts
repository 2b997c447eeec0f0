import { randomBytes } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { testRedisPrefix, testRedisUrl } from '../../../test/support/services.ts'
import { createMemoryLimits } from './memory.ts'
import { type BudgetRule, type Limits, LimitsInputError } from './ports.ts'
import { createRedisLimits } from './redis.ts'

// The same contract for the Redis primitives and their in-memory twin (issue #13).
const factories: Record<string, () => Limits> = {
  memory: () => createMemoryLimits(),
  redis: () => createRedisLimits({ url: testRedisUrl(), prefix: testRedisPrefix(`limits-${randomBytes(4).toString('hex')}`) }),
}

const open: Limits[] = []
afterEach(async () => {
  await Promise.all(open.splice(0).map((l) => l.close()))
})

function make(kind: string): Limits {
  const limits = factories[kind]!()
  open.push(limits)
  return limits
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const USD = 1_000_000_000 // nano-USD
const times = <T>(n: number, f: (i: number) => Promise<T>) => Promise.all(Array.from({ length: n }, (_, i) => f(i)))
const countOk = (results: { ok: boolean }[]) => results.filter((r) => r.ok).length

describe.each(Object.keys(factories))('%s limits', (kind) => {
  describe('rates (GCRA)', () => {
    const rate = (key: string, cost = 1) => ({ key, periodMs: 1000, limit: 100, cost })

    it('admits exactly 100 of 150 concurrent calls at 100/min, and the 50 rejected consume nothing', async () => {
      const limits = make(kind)
      const perMinute = { key: 'key', periodMs: 60_000, limit: 100, cost: 1 }
      const results = await times(150, () => limits.admit({ rates: [perMinute] }))
      expect(countOk(results)).toBe(100)
      const rejected = results.find((r) => !r.ok)
      expect(rejected).toMatchObject({ ok: false, subject: 'key', kind: 'rate', rates: [{ remaining: 0 }] })
      // The next unit is one emission interval (600 ms) away; had the 50 rejections been
      // counted, it would be 30 s.
      const next = await limits.admit({ rates: [perMinute] })
      expect(next).toMatchObject({ ok: false })
      if (!next.ok) expect(next.retryAfterMs).toBeLessThanOrEqual(600)
    })

    it('refills at the rate, and admits the full limit again once the window has passed', async () => {
      const limits = make(kind)
      const first = countOk(await times(150, () => limits.admit({ rates: [rate('key')] })))
      // A 1 s window refills one call per 10 ms, so a burst slowed by a busy machine sees a few more.
      expect(first).toBeGreaterThanOrEqual(100)
      expect(first).toBeLessThanOrEqual(110)
      await sleep(300)
      const refill = countOk(await times(50, () => limits.admit({ rates: [rate('key')] })))
      expect(refill).toBeGreaterThanOrEqual(25)
      expect(refill).toBeLessThanOrEqual(45)
      await sleep(1100)
      const again = countOk(await times(150, () => limits.admit({ rates: [rate('key')] })))
      expect(again).toBeGreaterThanOrEqual(100)
      expect(again).toBeLessThanOrEqual(110)
    })

    it('tells the retry-after of a rejection and the remaining/reset for the headers', async () => {
      const limits = make(kind)
      const tenPerSecond = { key: 'k', periodMs: 1000, limit: 10, cost: 1 }
      for (let i = 0; i < 9; i++) await limits.admit({ rates: [tenPerSecond] })
      const last = await limits.admit({ rates: [tenPerSecond] })
      expect(last).toMatchObject({ ok: true, rates: [{ key: 'k', limit: 10, remaining: 0 }] })
      expect(last.rates[0]?.resetMs).toBeGreaterThan(800)
      expect(last.rates[0]?.resetMs).toBeLessThanOrEqual(1000)
      const rejected = await limits.admit({ rates: [tenPerSecond] })
      if (rejected.ok) throw new Error('the 11th call was admitted')
      expect(rejected.retryAfterMs).toBeGreaterThan(0)
      expect(rejected.retryAfterMs).toBeLessThanOrEqual(100)
      await sleep((rejected.retryAfterMs ?? 0) + 15)
      expect((await limits.admit({ rates: [tenPerSecond] })).ok).toBe(true)
    })

    it('is all-or-nothing across subjects: a rejection by one consumes nothing anywhere', async () => {
      const limits = make(kind)
      const team = { key: 'team', periodMs: 60_000, limit: 100, cost: 1 }
      const key = { key: 'vk', periodMs: 60_000, limit: 2, cost: 1 }
      expect((await limits.admit({ rates: [team, key] })).ok).toBe(true)
      expect((await limits.admit({ rates: [team, key] })).ok).toBe(true)
      const third = await limits.admit({ rates: [team, key] })
      expect(third).toMatchObject({ ok: false, subject: 'vk', kind: 'rate' })
      expect(third.rates.map((r) => r.remaining)).toEqual([98, 0])
      // A full concurrency slot rejects too, and the rates stay untouched.
      await limits.admit({ leases: [{ key: 'conc', limit: 1, id: 'a1', ttlMs: 60_000 }] })
      const blocked = await limits.admit({ rates: [team], leases: [{ key: 'conc', limit: 1, id: 'a2', ttlMs: 60_000 }] })
      expect(blocked).toMatchObject({ ok: false, subject: 'conc', kind: 'lease' })
      expect((await limits.admit({ rates: [team] })).rates[0]?.remaining).toBe(97)
    })

    it('reports the subject to wait longest for, and null when the cost can never fit', async () => {
      const limits = make(kind)
      await limits.admit({ rates: [{ key: 'a', periodMs: 1000, limit: 1, cost: 1 }, { key: 'b', periodMs: 60_000, limit: 1, cost: 1 }] })
      const both = await limits.admit({ rates: [{ key: 'a', periodMs: 1000, limit: 1, cost: 1 }, { key: 'b', periodMs: 60_000, limit: 1, cost: 1 }] })
      expect(both).toMatchObject({ ok: false, subject: 'b' })
      if (!both.ok) expect(both.retryAfterMs).toBeGreaterThan(50_000)
      const huge = await limits.admit({ rates: [{ key: 'tpm', periodMs: 60_000, limit: 1000, cost: 1001 }] })
      expect(huge).toMatchObject({ ok: false, subject: 'tpm', retryAfterMs: null })
      expect((await limits.admit({ rates: [{ key: 'tpm', periodMs: 60_000, limit: 1000, cost: 1000 }] })).ok).toBe(true)
    })

    it('corrects TPM after the call: a refund returns tokens, clamped at a full bucket', async () => {
      const limits = make(kind)
      const tpm = { key: 'tpm', periodMs: 60_000, limit: 1000 }
      await limits.admit({ rates: [{ ...tpm, cost: 800 }] })
      expect((await limits.adjust({ ...tpm, delta: -500 })).remaining).toBe(700)
      expect((await limits.admit({ rates: [{ ...tpm, cost: 700 }] })).ok).toBe(true)
      expect((await limits.adjust({ ...tpm, delta: 400 })).remaining).toBe(0)
      expect((await limits.admit({ rates: [{ ...tpm, cost: 1 }] })).ok).toBe(false)
      expect(await limits.adjust({ ...tpm, delta: -1_000_000 })).toMatchObject({ remaining: 1000, resetMs: 0 })
    })
  })

  describe('concurrency leases', () => {
    const lease = (id: string, ttlMs = 60_000, limit = 5) => ({ key: 'conc', limit, id, ttlMs })

    it('admits 5 of 50 concurrent acquires at limit 5', async () => {
      const limits = make(kind)
      const results = await times(50, (i) => limits.admit({ leases: [lease(`a${i}`)] }))
      expect(countOk(results)).toBe(5)
      expect(await limits.countLeases('conc')).toBe(5)
      const rejected = results.find((r) => !r.ok)
      expect(rejected).toMatchObject({ ok: false, subject: 'conc', kind: 'lease', leases: [{ remaining: 0 }] })
      if (rejected && !rejected.ok) expect(rejected.retryAfterMs).toBeGreaterThan(55_000)
    })

    it('releases idempotently, and a re-acquire by the same attempt takes no second slot', async () => {
      const limits = make(kind)
      for (const id of ['a', 'b', 'c']) await limits.admit({ leases: [lease(id, 60_000, 3)] })
      expect((await limits.admit({ leases: [lease('a', 60_000, 3)] })).ok).toBe(true)
      await limits.releaseLease({ key: 'conc', id: 'b' })
      await limits.releaseLease({ key: 'conc', id: 'b' })
      await limits.releaseLease({ key: 'conc', id: 'never-held' })
      expect(await limits.countLeases('conc')).toBe(2)
      expect((await limits.admit({ leases: [lease('d', 60_000, 3)] })).ok).toBe(true)
      expect((await limits.admit({ leases: [lease('e', 60_000, 3)] })).ok).toBe(false)
    })

    it('frees the slot of a lease never released once its TTL passes; renewing extends it', async () => {
      const limits = make(kind)
      expect((await limits.admit({ leases: [lease('streaming', 600, 2)] })).ok).toBe(true)
      expect((await limits.admit({ leases: [lease('abandoned', 600, 2)] })).ok).toBe(true)
      expect((await limits.admit({ leases: [lease('third', 600, 2)] })).ok).toBe(false)
      await sleep(300)
      expect(await limits.renewLease({ key: 'conc', id: 'streaming', ttlMs: 1200 })).toBe(true)
      await sleep(600)
      expect(await limits.countLeases('conc')).toBe(1)
      expect((await limits.admit({ leases: [lease('third', 600, 2)] })).ok).toBe(true)
      expect(await limits.renewLease({ key: 'conc', id: 'abandoned', ttlMs: 1200 })).toBe(false)
    })

    it('leaves 0 leases after 100 acquire-then-abandon cycles once the TTL passes', async () => {
      const limits = make(kind)
      // Speculative streams opened and aborted without a release (litellm#27955).
      expect(countOk(await times(100, (i) => limits.admit({ leases: [lease(`spec-${i}`, 1000, 100)] })))).toBe(100)
      expect((await limits.admit({ leases: [lease('one-too-many', 1000, 100)] })).ok).toBe(false)
      await sleep(1100)
      expect(await limits.countLeases('conc')).toBe(0)
      expect(countOk(await times(100, (i) => limits.admit({ leases: [lease(`next-${i}`, 200, 100)] })))).toBe(100)
    })
  })

  describe('budgets (reserve, then settle)', () => {
    const budget = (over: Partial<BudgetRule> = {}): BudgetRule => ({ key: 'team', limit: 1 * USD, period: 'month', timeZone: 'Europe/Berlin', ...over })

    it('keeps 200 concurrent $0.05 calls settling at $0.04 within $1.00, with no reservation left', async () => {
      const limits = make(kind)
      const outcomes = await times(200, async (i) => {
        const r = await limits.reserve({ id: `call-${i}`, amount: 0.05 * USD, ttlMs: 60_000, budgets: [budget()] })
        if (!r.ok) return false
        await limits.settle(r.reservation, 0.04 * USD)
        return true
      })
      const admitted = outcomes.filter(Boolean).length
      expect(admitted).toBeGreaterThanOrEqual(20)
      const status = await limits.budgetStatus(budget())
      expect(status).toMatchObject({ reserved: 0, spent: admitted * 0.04 * USD, limit: USD, over: false })
      expect(status.spent).toBeLessThanOrEqual(USD)
    })

    it('rejects a hard budget all-or-nothing and reports spend vs limit', async () => {
      const limits = make(kind)
      const rules = [budget({ key: 'team', limit: 10 * USD }), budget({ key: 'vk', limit: 1 * USD, period: 'day' })]
      const first = await limits.reserve({ id: 'c1', amount: 0.7 * USD, ttlMs: 60_000, budgets: rules })
      expect(first).toMatchObject({ ok: true, budgets: [{ key: 'team', reserved: 0.7 * USD }, { key: 'vk', reserved: 0.7 * USD }] })
      const second = await limits.reserve({ id: 'c2', amount: 0.7 * USD, ttlMs: 60_000, budgets: rules })
      expect(second).toMatchObject({ ok: false, subject: 'vk' })
      expect((await limits.budgetStatus(rules[0]!)).reserved).toBe(0.7 * USD)
      if (!first.ok) throw new Error('unreachable')
      const settled = await limits.settle(first.reservation, 0.25 * USD)
      expect(settled).toMatchObject({ applied: true, budgets: [{ spent: 0.25 * USD, reserved: 0 }, { spent: 0.25 * USD, reserved: 0 }] })
      // Settling twice (a retried settle) counts the spend once.
      expect(await limits.settle(first.reservation, 0.25 * USD)).toMatchObject({ applied: false, budgets: [{ spent: 0.25 * USD }, { spent: 0.25 * USD }] })
      expect((await limits.reserve({ id: 'c2', amount: 0.7 * USD, ttlMs: 60_000, budgets: rules })).ok).toBe(true)
    })

    it('expires a reservation never settled, and still counts a settle that comes after expiry, once', async () => {
      const limits = make(kind)
      const r = await limits.reserve({ id: 'crashed', amount: 0.6 * USD, ttlMs: 500, budgets: [budget()] })
      expect((await limits.reserve({ id: 'other', amount: 0.6 * USD, ttlMs: 500, budgets: [budget()] })).ok).toBe(false)
      await sleep(600)
      expect(await limits.budgetStatus(budget())).toMatchObject({ spent: 0, reserved: 0 })
      if (!r.ok) throw new Error('unreachable')
      expect((await limits.settle(r.reservation, 0.3 * USD)).applied).toBe(true)
      expect((await limits.settle(r.reservation, 0.3 * USD)).applied).toBe(false)
      expect(await limits.budgetStatus(budget())).toMatchObject({ spent: 0.3 * USD, reserved: 0 })
    })

    it('releases without spending, idempotently; a settle after release adds nothing', async () => {
      const limits = make(kind)
      const r = await limits.reserve({ id: 'failed-call', amount: 0.5 * USD, ttlMs: 60_000, budgets: [budget()] })
      if (!r.ok) throw new Error('unreachable')
      await limits.release(r.reservation)
      await limits.release(r.reservation)
      expect((await limits.settle(r.reservation, 0.5 * USD)).applied).toBe(false)
      expect(await limits.budgetStatus(budget())).toMatchObject({ spent: 0, reserved: 0 })
    })

    it('admits over a soft budget and reports it', async () => {
      const limits = make(kind)
      const soft = budget({ mode: 'soft' })
      const a = await limits.reserve({ id: 'a', amount: 0.8 * USD, ttlMs: 60_000, budgets: [soft] })
      const b = await limits.reserve({ id: 'b', amount: 0.8 * USD, ttlMs: 60_000, budgets: [soft] })
      expect(a).toMatchObject({ ok: true, budgets: [{ over: false }] })
      expect(b).toMatchObject({ ok: true, budgets: [{ over: true, reserved: 1.6 * USD }] })
    })

    it('reports each alert threshold once per window, even under concurrent settles', async () => {
      const limits = make(kind)
      const rule = budget({ mode: 'soft', alertAt: [0.5, 0.8, 1] })
      const reservations = await times(12, async (i) => {
        const r = await limits.reserve({ id: `c${i}`, amount: 0.1 * USD, ttlMs: 60_000, budgets: [rule] })
        if (!r.ok) throw new Error('soft budgets admit')
        return r.reservation
      })
      const results = await Promise.all(reservations.map((r) => limits.settle(r, 0.1 * USD)))
      const crossed = results.flatMap((s) => s.budgets[0]?.crossed ?? [])
      expect(crossed.sort()).toEqual([0.5, 0.8, 1])
      // The settle that crossed 0.8 is the one that brought spend to $0.80.
      const at08 = results.find((s) => s.budgets[0]?.crossed.includes(0.8))
      expect(at08?.budgets[0]?.spent).toBe(0.8 * USD)
      expect((await limits.budgetStatus(rule)).over).toBe(true)
    })

    it('admits rates, a lease and a reservation in one call, all-or-nothing', async () => {
      const limits = make(kind)
      const rpm = { key: 'vk:rpm', periodMs: 60_000, limit: 10, cost: 1 }
      const request = (id: string, amount: number, rateLimit = 10) => ({
        rates: [{ ...rpm, limit: rateLimit }],
        leases: [{ key: 'vk:conc', limit: 5, id, ttlMs: 60_000 }],
        reserve: { id, amount, ttlMs: 60_000, budgets: [budget({ period: 'day', timeZone: 'UTC' })] },
      })
      const first = await limits.admit(request('c1', 0.6 * USD))
      expect(first).toMatchObject({ ok: true, rates: [{ remaining: 9 }], leases: [{ remaining: 4 }], budgets: [{ reserved: 0.6 * USD }] })
      expect(first.ok && first.reservation?.id).toBe('c1')
      // Over the budget: no rate, no lease is taken.
      const broke = await limits.admit(request('c2', 0.6 * USD))
      expect(broke).toMatchObject({ ok: false, kind: 'budget', subject: 'team', rates: [{ remaining: 9 }], leases: [{ remaining: 4 }] })
      // A daily budget tells to come back when its day ends.
      if (!broke.ok) expect(Math.abs((broke.retryAfterMs ?? 0) - ((broke.budgets[0]?.windowEnd ?? 0) - Date.now()))).toBeLessThan(1000)
      expect(await limits.countLeases('vk:conc')).toBe(1)
      // Over a rate: nothing is reserved.
      const limited = await limits.admit(request('c3', 0.1 * USD, 1))
      expect(limited).toMatchObject({ ok: false, kind: 'rate', subject: 'vk:rpm' })
      expect(await limits.budgetStatus(budget({ period: 'day', timeZone: 'UTC' }))).toMatchObject({ reserved: 0.6 * USD })
      expect(await limits.countLeases('vk:conc')).toBe(1)
    })

    it('refuses malformed input with a LimitsInputError: money is integer nano-USD', async () => {
      const limits = make(kind)
      await expect(limits.reserve({ id: 'x', amount: 0.5, ttlMs: 1000, budgets: [budget()] })).rejects.toThrow(LimitsInputError)
      await expect(limits.admit({ rates: [{ key: 'k', periodMs: 1000, limit: 10, cost: -1 }] })).rejects.toThrow(LimitsInputError)
      await expect(limits.admit({})).rejects.toThrow(LimitsInputError)
      await expect(limits.admit({ rates: [{ key: 'k', periodMs: 1000, limit: 1, cost: 1 }, { key: 'k', periodMs: 1000, limit: 1, cost: 1 }] })).rejects.toThrow(LimitsInputError)
    })
  })
})

describe('G-REL-19 replicas sharing one Redis', () => {
  it('admit exactly the limit between them: 150 concurrent calls over 3 replicas at 100/min → 100', async () => {
    const prefix = testRedisPrefix(`limits-replicas-${randomBytes(4).toString('hex')}`)
    const replicas = [0, 1, 2].map(() => {
      const limits = createRedisLimits({ url: testRedisUrl(), prefix })
      open.push(limits)
      return limits
    })
    const perMinute = { key: 'vk', periodMs: 60_000, limit: 100, cost: 1 }
    const results = await times(150, (i) => replicas[i % 3]!.admit({ rates: [perMinute], leases: [{ key: 'conc', limit: 150, id: `a${i}`, ttlMs: 60_000 }] }))
    expect(countOk(results)).toBe(100)
    expect(await replicas[0]!.countLeases('conc')).toBe(100)
  })
})
