import { randomUUID } from 'node:crypto'
import { createMemoryInfra } from '@switchyard/shared/infra'
import type { RequestLogEventInput } from '@switchyard/shared/events'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDb } from '../lib/db.server.ts'
import { adminClient, createTestServices, seedTeam, type TestServices } from '../testing/fixtures.ts'
import { ingestOnce, startUsageIngester } from './usage-ingest.server.ts'

let services: TestServices

beforeAll(() => {
  services = createTestServices({ infra: createMemoryInfra() })
})
afterAll(() => services.close())

function event(teamId: string, overrides: Partial<RequestLogEventInput> = {}): RequestLogEventInput {
  return {
    requestId: `req_${randomUUID()}`,
    createdAt: new Date().toISOString(),
    teamId,
    virtualKeyId: null,
    endpoint: '/v1/chat/completions',
    provider: 'openai-main',
    model: 'gpt-4o-mini',
    stream: false,
    status: 200,
    outcome: 'success',
    latencyMs: 120,
    ttftMs: 80,
    usage: { promptTokens: 11, completionTokens: 7 },
    costUsd: '0.000005850',
    ...overrides,
  }
}

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
    expect(log).toEqual([expect.stringContaining('team_missing does not exist')])
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
  })
})
