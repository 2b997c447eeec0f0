import { createMemoryInfra } from '@switchyard/shared/infra'
import type { RequestLogEventInput } from '@switchyard/shared/events'
import { requestLogEvent } from '@switchyard/shared/testing/request-log-event'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDb } from '../lib/db.server.ts'
import { adminClient, createTestServices, seedTeam, type TestServices } from '../testing/fixtures.ts'
import type { Db } from '../lib/db.server.ts'
import { ingestOnce, newIngesterStats, retryDelayMs, startUsageIngester } from './usage-ingest.server.ts'

let services: TestServices

beforeAll(() => {
  services = createTestServices({ infra: createMemoryInfra() })
})
afterAll(() => services.close())

// A priced, metered event: the logs API assertions below check these values.
const event = (teamId: string, overrides: Partial<RequestLogEventInput> = {}) =>
  requestLogEvent(teamId, { latencyMs: 120, ttftMs: 80, usage: { promptTokens: 11, completionTokens: 7 }, costUsd: '0.000005850', ...overrides })

async function waitFor<T>(probe: () => Promise<T | null | undefined>, timeoutMs = 3000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await probe()
    if (value) return value
    if (Date.now() > deadline) throw new Error('timed out')
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}

describe('usage ingester', () => {
  it('writes appended events to request_logs within a second, served by the logs API', async () => {
    const team = await seedTeam(services.db)
    const log: string[] = []
    const ingester = startUsageIngester({ db: services.db, infra: services.infra, blockMs: 200, log: (m) => log.push(m) })
    try {
      const good = event(team.teamId)
      const started = Date.now()
      await services.infra.logs.append(['{"not":"an event"}', 'nope', JSON.stringify(good)])
      const row = await waitFor(() => services.db.requestLog.findUnique({ where: { requestId: good.requestId } }))
      expect(Date.now() - started).toBeLessThan(1000)
      expect(row).toMatchObject({ teamId: team.teamId, promptTokens: 11, completionTokens: 7, outcome: 'success' })
      expect(log).toHaveLength(2)

      const call = adminClient(services)
      const list = await call(team.token, 'GET', '/logs')
      expect(list.body?.data).toEqual([
        expect.objectContaining({ requestId: good.requestId, costUsd: '0.00000585', latencyMs: 120, ttftMs: 80, stream: false }),
      ])
      const id = (list.body?.data as { id: string }[])[0]!.id
      expect((await call(team.token, 'GET', `/logs/${id}`)).body).toMatchObject({ id, requestId: good.requestId })
      const other = await seedTeam(services.db)
      expect((await call(other.token, 'GET', `/logs/${id}`)).status).toBe(404)
    } finally {
      await ingester.stop()
    }
  })

  it('is idempotent when an entry is delivered again', async () => {
    const team = await seedTeam(services.db)
    const infra = createMemoryInfra()
    const payload = JSON.stringify(event(team.teamId))
    await infra.logs.append([payload, payload])
    const inserted = await ingestOnce({ db: services.db, infra, consumer: 'c1', blockMs: 0 })
    expect(inserted).toBe(1)
    await infra.logs.append([payload])
    expect(await ingestOnce({ db: services.db, infra, consumer: 'c1', blockMs: 0 })).toBe(0)
    expect(await services.db.requestLog.count({ where: { teamId: team.teamId } })).toBe(1)
  })

  it('drops only the events of a team that no longer exists', async () => {
    const team = await seedTeam(services.db)
    const infra = createMemoryInfra()
    const log: string[] = []
    await infra.logs.append([JSON.stringify(event('team_missing')), JSON.stringify(event(team.teamId))])
    expect(await ingestOnce({ db: services.db, infra, consumer: 'c1', blockMs: 0, log: (m) => log.push(m) })).toBe(1)
    expect(log).toEqual([expect.stringContaining('team "team_missing" does not exist')])
  })

  it("stores the other teams' rows of a batch holding unstorable text, cleaned, and drops only what no retry stores", async () => {
    const [a, b] = [await seedTeam(services.db), await seedTeam(services.db)]
    const infra = createMemoryInfra()
    const log: string[] = []
    const stats = newIngesterStats()
    // Raw JSON.stringify, as an older or foreign producer would write it: the escapes reach the ingester.
    const nul = event(a.teamId, { model: 'gpt\u0000-4o', status: 404, metadata: { ['k\u0000']: 'half \ud83d' } })
    const others = [event(a.teamId), event(b.teamId), event(b.teamId)]
    const outOfRange = event(b.teamId, { status: 2 ** 40 })
    await infra.logs.append([nul, others[0], outOfRange, others[1], others[2]].map((e) => JSON.stringify(e)))
    expect(await ingestOnce({ db: services.db, infra, consumer: 'c1', blockMs: 0, log: (m) => log.push(m), stats })).toBe(4)
    const stored = await services.db.requestLog.findMany({ where: { teamId: { in: [a.teamId, b.teamId] } }, select: { requestId: true, model: true, event: true } })
    expect(stored.map((r) => r.requestId).sort()).toEqual([nul, ...others].map((e) => e.requestId).sort())
    const cleaned = stored.find((r) => r.requestId === nul.requestId)
    expect(cleaned?.model).toBe('gpt\ufffd-4o')
    expect(cleaned?.event).toMatchObject({ metadata: { 'k\ufffd': 'half \ufffd' } })
    expect(stats).toMatchObject({ inserted: 4, dropped: 1 })
    expect(log).toEqual([`usage ingester: dropped request "${outOfRange.requestId}" of team "${b.teamId}": cannot be stored (22003)`])
    expect(await infra.logs.read({ consumer: 'c1', count: 10, blockMs: 0, claimIdleMs: 0 })).toEqual([])
  })

  it('keeps the batch it holds through database failures and stores it exactly once when the database answers', async () => {
    const team = await seedTeam(services.db)
    const infra = createMemoryInfra()
    const state = { down: true, attempts: 0 }
    // The real client, whose inserts fail the way an unreachable database fails while `down`.
    const flaky = new Proxy(services.db, {
      get(target, prop, receiver) {
        if (prop !== 'requestLog') return Reflect.get(target, prop, receiver) as unknown
        return new Proxy(target.requestLog, {
          get(model, name, r) {
            if (name !== 'createMany') return Reflect.get(model, name, r) as unknown
            return async (args: Parameters<typeof model.createMany>[0]) => {
              state.attempts++
              if (state.down) throw Object.assign(new Error("Can't reach database server"), { name: 'PrismaClientKnownRequestError', code: 'P1001' })
              return model.createMany(args)
            }
          },
        })
      },
    }) as Db
    const log: string[] = []
    const ingester = startUsageIngester({ db: flaky, infra, blockMs: 20, retryMs: 5, maxRetryMs: 20, claimIdleMs: 60_000, log: (m) => log.push(m) })
    try {
      const events = Array.from({ length: 5 }, () => event(team.teamId))
      await infra.logs.append(events.slice(0, 3).map((e) => JSON.stringify(e)))
      await infra.logs.append(events.slice(3).map((e) => JSON.stringify(e)))
      await expect.poll(() => state.attempts).toBeGreaterThan(5)
      state.down = false
      await expect.poll(() => services.db.requestLog.count({ where: { teamId: team.teamId } })).toBe(5)
      await expect.poll(() => ingester.stats().inserted).toBe(5)
      expect(ingester.stats()).toMatchObject({ dropped: 0 })
      expect(ingester.stats().failedAttempts).toBeGreaterThan(5)
      expect(log[0]).toMatch(/keeping \d events pending \(P1001/)
      expect(log.at(-1)).toMatch(/storing again after \d+ failed attempts/)
    } finally {
      await ingester.stop()
    }
  })

  it('backs off exponentially, jittered between half and all of each step, up to the cap', () => {
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, 100, 1000, () => 1))).toEqual([100, 200, 400, 800])
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, 100, 1000, () => 0))).toEqual([50, 100, 200, 400])
    expect(retryDelayMs(50, 100, 1000, () => 1)).toBe(1000)
  })

  it('does not ack when the database is unreachable, so the entry is retried', async () => {
    const team = await seedTeam(services.db)
    const infra = createMemoryInfra()
    await infra.logs.append([JSON.stringify(event(team.teamId))])
    const down = createDb('postgres://postgres@127.0.0.1:1/nowhere')
    await expect(ingestOnce({ db: down, infra, consumer: 'c1', blockMs: 0 })).rejects.toThrow()
    await down.$disconnect()
    const redelivered = await infra.logs.read({ consumer: 'c2', count: 10, blockMs: 0, claimIdleMs: 0 })
    expect(redelivered).toHaveLength(1)
    // The same consumer gets it back too (in the one-process default there is no other).
    expect(await infra.logs.read({ consumer: 'c1', count: 10, blockMs: 0, claimIdleMs: 0 })).toHaveLength(1)
  })
})
