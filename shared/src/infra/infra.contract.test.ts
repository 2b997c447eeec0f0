import { randomBytes } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { testRedisPrefix, testRedisUrl } from '../../../test/support/services.ts'
import { createMemoryInfra } from './memory.ts'
import type { Infra } from './ports.ts'
import { createRedisInfra } from './redis.ts'
import { forkedIpcInfra } from './testing/ipc-infra.ts'

// The same contract for the Redis ports, their in-memory twins and the IPC variant that forwards
// to an in-memory twin in another process (npm start's data-plane child) (DESIGN.md).
const factories: Record<string, () => Infra> = {
  memory: () => createMemoryInfra(),
  redis: () => createRedisInfra({ url: testRedisUrl(), prefix: testRedisPrefix(`infra-${randomBytes(4).toString('hex')}`) }),
  ipc: () => forkedIpcInfra(),
}

const open: Infra[] = []
afterEach(async () => {
  await Promise.all(open.splice(0).map((i) => i.close()))
})

function make(kind: string): Infra {
  const infra = factories[kind]!()
  open.push(infra)
  return infra
}

const snapshot = (version: number) => JSON.stringify({ version, body: `v${version}` })

describe.each(Object.keys(factories))('%s infra', (kind) => {
  it('stores and announces a published snapshot', async () => {
    const infra = make(kind)
    const seen: number[] = []
    const unsubscribe = await infra.snapshots.subscribe((v) => seen.push(v))
    await infra.snapshots.publish(1, snapshot(1))
    await expect.poll(() => seen).toEqual([1])
    expect(await infra.snapshots.getLatest()).toBe(snapshot(1))
    expect(await infra.snapshots.get(1)).toBe(snapshot(1))
    await unsubscribe()
  })

  it("tells latest's version without the document, for documents shaped as the control plane writes them", async () => {
    const infra = make(kind)
    expect(await infra.snapshots.latestVersion()).toBeNull()
    const document = (version: number) => JSON.stringify({ schemaVersion: 1, version, publishedAt: '2026-12-02T00:00:00.000Z', teams: [{ id: 'team_1', version: 1 }] })
    await infra.snapshots.publish(41, document(41))
    expect(await infra.snapshots.latestVersion()).toBe(41)
    await infra.snapshots.publish(7, document(7))
    expect(await infra.snapshots.latestVersion()).toBe(41)
  })

  it('never moves latest backwards when an older version is published late', async () => {
    const infra = make(kind)
    await infra.snapshots.publish(5, snapshot(5))
    await infra.snapshots.publish(4, snapshot(4))
    expect(await infra.snapshots.getLatest()).toBe(snapshot(5))
    expect(await infra.snapshots.get(4)).toBe(snapshot(4))
  })

  it('returns null before anything is published', async () => {
    const infra = make(kind)
    expect(await infra.snapshots.getLatest()).toBeNull()
    expect(await infra.snapshots.get(99)).toBeNull()
  })

  it('delivers appended log entries once, in order, until acked', async () => {
    const infra = make(kind)
    await infra.logs.append(['a', 'b'])
    await infra.logs.append(['c'])
    await infra.logs.append(['d', 'e'])
    // `count` counts appends (stream entries): a batch is never split between reads.
    const first = await infra.logs.read({ consumer: 'c1', count: 2, blockMs: 10, claimIdleMs: 60_000 })
    expect(first.map((e) => e.payload)).toEqual(['a', 'b', 'c'])
    expect(first[0]?.id).toBe(first[1]?.id)
    expect(first[2]?.id).not.toBe(first[0]?.id)
    const second = await infra.logs.read({ consumer: 'c1', count: 10, blockMs: 10, claimIdleMs: 60_000 })
    expect(second.map((e) => e.payload)).toEqual(['d', 'e'])
    await infra.logs.ack([...first, ...second].map((e) => e.id))
    expect(await infra.logs.read({ consumer: 'c1', count: 10, blockMs: 10, claimIdleMs: 0 })).toEqual([])
  })

  it('acks a whole batch by its id', async () => {
    const infra = make(kind)
    await infra.logs.append(['x', 'y', 'z'])
    const taken = await infra.logs.read({ consumer: 'c1', count: 10, blockMs: 10, claimIdleMs: 60_000 })
    expect(taken.map((e) => e.payload)).toEqual(['x', 'y', 'z'])
    await infra.logs.ack([taken[0]?.id ?? ''])
    await new Promise((r) => setTimeout(r, 30))
    expect(await infra.logs.read({ consumer: 'c2', count: 10, blockMs: 10, claimIdleMs: 20 })).toEqual([])
  })

  it('hands entries a dead consumer never acked to another consumer', async () => {
    const infra = make(kind)
    await infra.logs.append(['lost-unless-claimed'])
    const taken = await infra.logs.read({ consumer: 'dead', count: 10, blockMs: 10, claimIdleMs: 60_000 })
    expect(taken).toHaveLength(1)
    await new Promise((r) => setTimeout(r, 30))
    const claimed = await infra.logs.read({ consumer: 'alive', count: 10, blockMs: 10, claimIdleMs: 20 })
    expect(claimed.map((e) => e.payload)).toEqual(['lost-unless-claimed'])
  })

  it('hands a consumer back its own unacked entries once idle for claimIdleMs, as XAUTOCLAIM does', async () => {
    const infra = make(kind)
    await infra.logs.append(['kept-until-stored', 'its-batch-mate'])
    await infra.logs.append(['next'])
    const taken = await infra.logs.read({ consumer: 'c1', count: 1, blockMs: 10, claimIdleMs: 60_000 })
    expect(taken.map((e) => e.payload)).toEqual(['kept-until-stored', 'its-batch-mate'])
    // Not yet idle: the reader moves on to new entries.
    expect((await infra.logs.read({ consumer: 'c1', count: 1, blockMs: 10, claimIdleMs: 60_000 })).map((e) => e.payload)).toEqual(['next'])
    await infra.logs.ack(taken.map((e) => e.id).slice(0, 1))
    await new Promise((r) => setTimeout(r, 30))
    // Idle: the same consumer gets back what it read and never acked, and only that.
    const again = await infra.logs.read({ consumer: 'c1', count: 10, blockMs: 10, claimIdleMs: 20 })
    expect(again.map((e) => e.payload)).toEqual(['next'])
    // Claiming restarts the idle clock: an immediate second read does not hand it out twice.
    expect(await infra.logs.read({ consumer: 'c1', count: 10, blockMs: 10, claimIdleMs: 20 })).toEqual([])
    await new Promise((r) => setTimeout(r, 30))
    expect((await infra.logs.read({ consumer: 'c1', count: 10, blockMs: 10, claimIdleMs: 20 })).map((e) => e.payload)).toEqual(['next'])
  })

  it('answers at once when blockMs is 0 and nothing is waiting', async () => {
    const infra = make(kind)
    const started = Date.now()
    expect(await infra.logs.read({ consumer: 'c1', count: 10, blockMs: 0, claimIdleMs: 60_000 })).toEqual([])
    expect(Date.now() - started).toBeLessThan(1000)
  })

  it('wakes a blocked reader when an entry arrives', async () => {
    const infra = make(kind)
    const reading = infra.logs.read({ consumer: 'c1', count: 10, blockMs: 2000, claimIdleMs: 60_000 })
    await new Promise((r) => setTimeout(r, 50))
    await infra.logs.append(['late'])
    const started = Date.now()
    expect((await reading).map((e) => e.payload)).toEqual(['late'])
    expect(Date.now() - started).toBeLessThan(1500)
  })
})
