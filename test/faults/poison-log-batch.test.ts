import { randomBytes } from 'node:crypto'
import { createDb, type Db } from '@switchyard/control-plane/lib/db.server'
import { createTeam } from '@switchyard/control-plane/models/team.server'
import { startUsageIngester, type UsageIngester } from '@switchyard/control-plane/services/usage-ingest.server'
import { createMemoryInfra, createRedisInfra, type Infra } from '@switchyard/shared/infra'
import { requestLogEvent } from '@switchyard/shared/testing/request-log-event'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LogEmitter } from '../../data-plane/src/logging/log-emitter.ts'
import { testDatabaseUrl, testRedisPrefix, testRedisUrl } from '../support/services.ts'

// Issue #11 item 2: one request whose model held U+0000 (even a 404) made Postgres refuse the
// whole ingest batch — other teams' rows sent at the same moment included — and the batch was
// never stored: lost in the one-process default, retried forever with Redis. Real parts: the
// data plane's log emitter, both log stream twins, the ingester's loop, PostgreSQL.

let db: Db
const teams = Array.from({ length: 3 }, () => `team_${randomBytes(5).toString('hex')}`)

beforeAll(async () => {
  db = createDb(testDatabaseUrl())
  for (const id of teams) await createTeam(db, { id, name: id, slug: id.replace('_', '-') })
})
afterAll(() => db.$disconnect())

const poisoned = (teamId: string) =>
  requestLogEvent(teamId, { status: 404, outcome: 'error', model: 'gpt-4o\u0000-mini', errorCode: 'SY_ERR_ROUTE_NOT_FOUND', metadata: { ['k\u0000']: 'cut \ud83d' } })

const twins: Record<string, () => Infra> = {
  memory: () => createMemoryInfra(),
  redis: () => createRedisInfra({ url: testRedisUrl(), prefix: testRedisPrefix(`poison-${randomBytes(4).toString('hex')}`) }),
}

describe.each(Object.keys(twins))('G-REL-03 a request log batch holding unstorable text (%s stream)', (kind) => {
  let infra: Infra
  let ingester: UsageIngester
  const log: string[] = []

  beforeAll(() => {
    infra = twins[kind]!()
    ingester = startUsageIngester({ db, infra, consumer: `poison-${kind}`, blockMs: 50, log: (m) => log.push(m) })
  })
  afterAll(async () => {
    await ingester.stop()
    await infra.close()
  })

  it("stores every other team's row of the batch, and the NUL model's row with the NUL replaced", async () => {
    const emitter = new LogEmitter({ logs: infra.logs, log: { warn: () => {}, error: () => {} }, flushIntervalMs: 60_000 })
    const batch = [requestLogEvent(teams[1]!), poisoned(teams[0]!), requestLogEvent(teams[2]!), requestLogEvent(teams[1]!, { status: 404, outcome: 'error' })]
    for (const e of batch) emitter.emit(e)
    await emitter.close()

    await expect.poll(() => db.requestLog.count({ where: { requestId: { in: batch.map((e) => e.requestId) } } }), { timeout: 10_000 }).toBe(batch.length)
    const stored = await db.requestLog.findUnique({ where: { requestId: batch[1]!.requestId }, select: { teamId: true, model: true, event: true } })
    expect(stored).toMatchObject({ teamId: teams[0], model: 'gpt-4o\ufffd-mini', event: { metadata: { 'k\ufffd': 'cut \ufffd' } } })
    expect(ingester.stats()).toMatchObject({ dropped: 0, failedAttempts: 0 })
  })

  it('does the same for events an older producer wrote unsanitised, and drops, counts and reports only a row no retry can store', async () => {
    const others = [requestLogEvent(teams[1]!), requestLogEvent(teams[2]!), requestLogEvent(teams[2]!, { stream: true })]
    const poison = poisoned(teams[0]!)
    const unstorable = requestLogEvent(teams[1]!, { status: 2 ** 40 })
    await infra.logs.append([others[0]!, poison, unstorable, others[1]!, others[2]!].map((e) => JSON.stringify(e)))

    const landed = [...others, poison].map((e) => e.requestId)
    await expect.poll(() => db.requestLog.count({ where: { requestId: { in: landed } } }), { timeout: 10_000 }).toBe(landed.length)
    expect(await db.requestLog.findUnique({ where: { requestId: poison.requestId }, select: { model: true } })).toEqual({ model: 'gpt-4o\ufffd-mini' })
    await expect.poll(() => ingester.stats().dropped).toBe(1)
    expect(await db.requestLog.count({ where: { requestId: unstorable.requestId } })).toBe(0)
    expect(log).toEqual([`usage ingester: dropped request "${unstorable.requestId}" of team "${teams[1]}": cannot be stored (22003)`])
    // Acked: nothing of the batch comes back, however long one waits.
    await new Promise((r) => setTimeout(r, 30))
    expect(await infra.logs.read({ consumer: 'probe', count: 10, blockMs: 0, claimIdleMs: 20 })).toEqual([])
  })
})
