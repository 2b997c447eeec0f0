import { afterAll, describe, expect, it } from 'vitest'
import { testDatabaseUrl } from '../../../test/support/services.ts'
import { createDb } from './db.server.ts'
import { dbErrorCode, dbErrorKind } from './db-error-kind.server.ts'

const db = createDb(testDatabaseUrl())
const down = createDb('postgres://postgres@127.0.0.1:1/nowhere')
afterAll(async () => {
  await db.$disconnect()
  await down.$disconnect()
})

async function failure(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run()
  } catch (err) {
    return err
  }
  throw new Error('expected a failure')
}

const row = (overrides: Record<string, unknown>) => ({
  id: `rl_${Math.random()}`,
  requestId: `req_${Math.random()}`,
  teamId: 'team_does_not_exist',
  endpoint: '/v1/chat/completions',
  stream: false,
  status: 200,
  outcome: 'success',
  latencyMs: 1,
  event: {},
  createdAt: new Date(),
  ...overrides,
})

describe('dbErrorKind, on errors the real database and client raise', () => {
  it('calls a value the database refuses a data error', async () => {
    const cases = {
      nul: row({ model: 'a\u0000b' }),
      jsonNul: row({ event: { m: 'a\u0000' } }),
      loneSurrogate: row({ event: { m: '\ud800' } }),
      outOfRange: row({ latencyMs: 2 ** 40 }),
      missingTeam: row({}),
    }
    for (const [name, data] of Object.entries(cases)) {
      const err = await failure(() => db.requestLog.createMany({ data: [data] }))
      expect([name, dbErrorKind(err)]).toEqual([name, 'data'])
    }
    expect(dbErrorCode(await failure(() => db.requestLog.createMany({ data: [cases.nul] })))).toBe('22021')
  })

  it('calls an unreachable database, and a schema it does not know, transient', async () => {
    const unreachable = await failure(() => down.requestLog.count())
    expect(dbErrorKind(unreachable)).toBe('transient')
    expect(dbErrorCode(unreachable)).toBe('P1001')
    // A missing table is no reason to drop rows: wait for the operator (migrations) instead.
    expect(dbErrorKind(await failure(() => db.$queryRawUnsafe('SELECT * FROM no_such_table')))).toBe('transient')
    expect(dbErrorKind(new Error('Connection terminated unexpectedly'))).toBe('transient')
    expect(dbErrorKind(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }))).toBe('transient')
  })
})
