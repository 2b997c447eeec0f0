import { createMemoryInfra } from '@switchyard/shared/infra'
import { requestLogEvent } from '@switchyard/shared/testing/request-log-event'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startUsageIngester } from '../app/services/usage-ingest.server.ts'
import { createTestServices, seedTeam, type TestServices } from '../app/testing/fixtures.ts'
import { drainMemoryLogStream } from './log-drain.ts'

let services: TestServices
beforeAll(() => {
  services = createTestServices({ infra: createMemoryInfra() })
})
afterAll(() => services.close())

const event = (teamId: string) => JSON.stringify(requestLogEvent(teamId))

// Issue #14: the embedded default's log stream is this process's memory, so a clean stop must
// write out what the data plane flushed into it after the ingester's loop ended.
describe('shutdown drain of the in-memory log stream', () => {
  it('writes every event left in the stream, including those the stopped ingester read but never acked', async () => {
    const team = await seedTeam(services.db)
    const infra = createMemoryInfra()
    const ingester = startUsageIngester({ db: services.db, infra, blockMs: 50, log: () => {} })
    await ingester.stop()
    // One batch read by a consumer that then went away, and batches nobody has read.
    await infra.logs.append(Array.from({ length: 10 }, () => event(team.teamId)))
    await infra.logs.read({ consumer: 'gone', count: 10, blockMs: 0, claimIdleMs: 60_000 })
    for (let i = 0; i < 100; i++) await infra.logs.append(Array.from({ length: 5 }, () => event(team.teamId)))

    expect(await drainMemoryLogStream({ db: services.db, infra, log: () => {} })).toBe(510)
    expect(await services.db.requestLog.count({ where: { teamId: team.teamId } })).toBe(510)
    expect(await infra.logs.read({ consumer: 'next', count: 10, blockMs: 0, claimIdleMs: 0 })).toEqual([])
  })
})
