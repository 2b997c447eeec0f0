import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createDb, type Db } from '@switchyard/control-plane/lib/db.server'
import { createTeam } from '@switchyard/control-plane/models/team.server'
import { startUsageIngester, type UsageIngester } from '@switchyard/control-plane/services/usage-ingest.server'
import type { RequestLogEvent } from '@switchyard/shared/events'
import { createMemoryInfra, createRedisInfra, type Infra } from '@switchyard/shared/infra'
import { requestLogEvent } from '@switchyard/shared/testing/request-log-event'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type EmbeddedPostgresHandle, startEmbeddedPostgres } from '../../control-plane/server/db/embedded-postgres.ts'
import { migrate } from '../../control-plane/server/db/migrate.ts'
import { LogEmitter } from '../../data-plane/src/logging/log-emitter.ts'
import { freePort } from '../support/ports.ts'
import { testRedisPrefix, testRedisUrl } from '../support/services.ts'

// G-REL-04 / issue #11 item 2: every batch read while the database was down (a restart, a
// blip) used to be lost. A private PostgreSQL this file can stop is taken down for
// OUTAGE_MS while the data plane's log emitter appends events steadily, to the Redis stream and
// to the memory twin at once; after the restart every row must land exactly once.
// SWITCHYARD_FAULT_PG_OUTAGE_MS shortens or lengthens the outage (the bar: 2 minutes).

const OUTAGE_MS = Number(process.env.SWITCHYARD_FAULT_PG_OUTAGE_MS ?? 120_000)
const EVENTS_PER_SECOND = 50
const LOAD_AROUND_MS = 3_000
const DRAIN_TIMEOUT_MS = 60_000

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

interface Lane {
  kind: string
  infra: Infra
  emitter: LogEmitter
  ingester: UsageIngester
  teams: string[]
  sent: string[]
  log: string[]
}

const dataDir = mkdtempSync(join(tmpdir(), 'sy-pg-outage-'))
let port: number
let postgres: EmbeddedPostgresHandle | null = null
let db: Db
const lanes: Lane[] = []

beforeAll(async () => {
  port = await freePort()
  postgres = await startEmbeddedPostgres({ dataDir, port, log: () => {} })
  await migrate(postgres.databaseUrl)
  db = createDb(postgres.databaseUrl)
  const twins: Record<string, () => Infra> = {
    memory: () => createMemoryInfra(),
    redis: () => createRedisInfra({ url: testRedisUrl(), prefix: testRedisPrefix(`pg-outage-${randomBytes(4).toString('hex')}`) }),
  }
  for (const [kind, make] of Object.entries(twins)) {
    const infra = make()
    const teams = Array.from({ length: 3 }, () => `team_${randomBytes(5).toString('hex')}`)
    for (const id of teams) await createTeam(db, { id, name: id, slug: id.replace('_', '-') })
    const log: string[] = []
    const emitter = new LogEmitter({ logs: infra.logs, log: { warn: () => {}, error: (o: unknown, m?: string) => log.push(`emitter: ${m} ${JSON.stringify(o)}`) } })
    const ingester = startUsageIngester({ db, infra, consumer: `outage-${kind}`, blockMs: 200, retryMs: 100, maxRetryMs: 2_000, log: (m) => log.push(m) })
    lanes.push({ kind, infra, emitter, ingester, teams, sent: [], log })
  }
}, 60_000)

afterAll(async () => {
  for (const lane of lanes) {
    await lane.ingester.stop()
    await lane.emitter.close()
    await lane.infra.close()
  }
  await db?.$disconnect()
  await postgres?.stop()
  rmSync(dataDir, { recursive: true, force: true })
})

function event(teamId: string, i: number): RequestLogEvent {
  return requestLogEvent(teamId, {
    stream: i % 2 === 0,
    status: i % 7 === 0 ? 404 : 200,
    outcome: i % 7 === 0 ? 'error' : 'success',
    latencyMs: 10 + (i % 50),
    usage: { promptTokens: i % 100, completionTokens: 7 },
  })
}

/** Emits EVENTS_PER_SECOND events per lane until `stop` is set; a bounded loop. */
async function produce(stop: { now: boolean }): Promise<void> {
  for (let i = 0; !stop.now; i++) {
    for (const lane of lanes) {
      const e = event(lane.teams[i % lane.teams.length]!, i)
      lane.sent.push(e.requestId)
      lane.emitter.emit(e)
    }
    await sleep(1000 / EVENTS_PER_SECOND)
  }
}

describe('G-REL-04 a PostgreSQL outage under steady request-log load', () => {
  it(
    `loses no row and duplicates none, after ${OUTAGE_MS / 1000} s down, on both stream twins`,
    async () => {
      const stop = { now: false }
      const producing = produce(stop)
      await sleep(LOAD_AROUND_MS)
      await postgres!.stop()
      const downAt = Date.now()
      await sleep(OUTAGE_MS)
      postgres = await startEmbeddedPostgres({ dataDir, port, log: () => {} })
      const upAt = Date.now()
      await sleep(LOAD_AROUND_MS)
      stop.now = true
      await producing
      const stoppedAt = Date.now()
      for (const lane of lanes) await lane.emitter.close()

      for (const lane of lanes) {
        await expect
          .poll(() => db.requestLog.count({ where: { teamId: { in: lane.teams } } }), { timeout: DRAIN_TIMEOUT_MS, interval: 250 })
          .toBeGreaterThanOrEqual(lane.sent.length)
      }
      const drainedAt = Date.now()
      for (const lane of lanes) {
        const rows = await db.requestLog.findMany({ where: { teamId: { in: lane.teams } }, select: { requestId: true } })
        // Exactly once: as many rows as events sent, and those very events.
        expect([lane.kind, rows.length]).toEqual([lane.kind, lane.sent.length])
        expect(new Set(rows.map((r) => r.requestId))).toEqual(new Set(lane.sent))
        const stats = lane.ingester.stats()
        expect([lane.kind, stats.dropped]).toEqual([lane.kind, 0])
        expect(stats.failedAttempts, `${lane.kind} saw the outage`).toBeGreaterThan(0)
        expect(lane.log.some((m) => /keeping \d+ events pending/.test(m))).toBe(true)
        expect(lane.log.at(-1)).toMatch(/storing again after \d+ failed attempts/)
        process.stdout.write(
          `G-REL-04 ${lane.kind}: ${lane.sent.length} events, outage ${Math.round((upAt - downAt) / 1000)} s, ` +
            `${stats.failedAttempts} failed attempts, all stored ${((drainedAt - upAt) / 1000).toFixed(1)} s after the restart ` +
            `(${((drainedAt - stoppedAt) / 1000).toFixed(1)} s after the load stopped), ` +
            `lost 0, duplicated 0, dropped ${stats.dropped}\n`,
        )
      }
    },
    OUTAGE_MS + 2 * LOAD_AROUND_MS + DRAIN_TIMEOUT_MS + 30_000,
  )
})
