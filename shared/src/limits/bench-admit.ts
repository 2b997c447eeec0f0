import { randomBytes } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import { Redis } from 'ioredis'
import { createMemoryLimits } from './memory.ts'
import type { Limits, Reservation } from './ports.ts'
import { createRedisLimits } from './redis.ts'

// A micro-benchmark, not a test: the per-call latency of the limits primitives on the hot path
// (issue #13: limit and budget stages on vs off add ≤ 0.15 ms p50), one call in flight, against
// local Redis and the memory twin. Run: npx tsx shared/src/limits/bench-admit.ts [--calls 5000]

const { values } = parseArgs({
  options: { 'redis-url': { type: 'string', default: 'redis://127.0.0.1:6379' }, calls: { type: 'string', default: '5000' } },
})
const CALLS = Number(values.calls)
const WARMUP = Math.min(1000, CALLS)
const USD = 1_000_000_000

interface Case {
  name: string
  run: (limits: Limits, i: number) => Promise<unknown>
}

// What one request through a key with RPM, TPM and concurrency limits, on a team with RPM and
// TPM limits, with a key and a team budget, costs: before the call (on the latency path) one
// admit that also reserves the budgets; after it one adjust, one lease release and one settle.
const admitRequest = (i: number) => ({
  rates: [
    { key: 'k:rpm', periodMs: 60_000, limit: 1e9, cost: 1 },
    { key: 'k:tpm', periodMs: 60_000, limit: 1e12, cost: 1200 },
    { key: 't:rpm', periodMs: 60_000, limit: 1e9, cost: 1 },
    { key: 't:tpm', periodMs: 60_000, limit: 1e12, cost: 1200 },
  ],
  leases: [{ key: 'k:conc', limit: 1e6, id: `a${i}`, ttlMs: 60_000 }],
})
const reserveRequest = (i: number) => ({
  id: `r${i}`,
  amount: 0.05 * USD,
  ttlMs: 600_000,
  budgets: [
    { key: 'k', limit: 9e15, period: 'month' as const, timeZone: 'Europe/Berlin', alertAt: [0.5, 0.8, 1] },
    { key: 't', limit: 9e15, period: 'day' as const, timeZone: 'Europe/Berlin' },
  ],
})
const held = new Map<number, Reservation>()

const cases: Case[] = [
  { name: 'admit (4 rates + 1 lease)', run: (l, i) => l.admit(admitRequest(i)) },
  { name: 'releaseLease', run: (l, i) => l.releaseLease({ key: 'k:conc', id: `a${i}` }) },
  { name: 'reserve (2 budgets)', run: (l, i) => l.reserve(reserveRequest(i)) },
  {
    name: 'before the call: one admit (+ reserve)',
    run: async (l, i) => {
      const r = await l.admit({ ...admitRequest(i + 1e7), reserve: reserveRequest(i + 1e7) })
      if (r.ok && r.reservation) held.set(i, r.reservation)
    },
  },
  {
    name: 'after it: adjust + release + settle',
    run: async (l, i) => {
      await l.adjust({ key: 'k:tpm', periodMs: 60_000, limit: 1e12, delta: -200 })
      await l.releaseLease({ key: 'k:conc', id: `a${i + 1e7}` })
      const r = held.get(i)
      held.delete(i)
      if (r) await l.settle(r, 0.04 * USD)
    },
  },
]

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0
}

async function measure(limits: Limits, c: Case): Promise<string> {
  for (let i = 0; i < WARMUP; i++) await c.run(limits, -i - 1)
  const samples: number[] = []
  for (let i = 0; i < CALLS; i++) {
    const start = performance.now()
    await c.run(limits, i)
    samples.push(performance.now() - start)
  }
  samples.sort((a, b) => a - b)
  const ms = (v: number) => `${(v * 1000).toFixed(0).padStart(5)} µs`
  return `${limits.kind.padEnd(6)} ${c.name.padEnd(40)} p50 ${ms(percentile(samples, 50))}  p90 ${ms(percentile(samples, 90))}  p99 ${ms(percentile(samples, 99))}`
}

async function main(): Promise<void> {
  const prefix = `bench-limits-${randomBytes(4).toString('hex')}:`
  const client = new Redis(values['redis-url'])
  const stores = [createMemoryLimits(), createRedisLimits({ client, prefix })]
  const ping = []
  for (let i = 0; i < WARMUP + CALLS; i++) {
    const start = performance.now()
    await client.ping()
    ping.push(performance.now() - start)
  }
  ping.sort((a, b) => a - b)
  console.log(`redis PING round trip p50 ${(percentile(ping, 50) * 1000).toFixed(0)} µs (the floor of any Redis call)`)
  try {
    for (const store of stores) for (const c of cases) console.log(await measure(store, c))
  } finally {
    let cursor = '0'
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000)
      if (keys.length > 0) await client.del(...keys)
      cursor = next
    } while (cursor !== '0')
    client.disconnect()
  }
}

await main()
