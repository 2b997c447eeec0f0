import { newId } from '@switchyard/shared/ids'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { insertRequestLogs } from '../models/request-log.server.ts'
import { adminClient, createTestServices, seedTeam, type SeededTeam, type TestServices } from '../testing/fixtures.ts'

// GET /api/v1/logs filters (console issue, request logs): time range, status (exact or class),
// outcome, model, provider and virtual key, ANDed, team-scoped, paginated newest first.

let services: TestServices
let call: ReturnType<typeof adminClient>
let team: SeededTeam
let other: SeededTeam
const base = new Date('2026-03-01T12:00:00.000Z')
const at = (minutes: number) => new Date(base.getTime() + minutes * 60_000)

interface Row {
  minutes: number
  status: number
  outcome: string
  model: string
  provider: string
  virtualKeyId: string | null
}

async function seed(teamId: string, rows: Row[]) {
  await insertRequestLogs(
    services.db,
    rows.map((r) => ({
      id: newId('requestLog'), requestId: newId('request'), teamId, endpoint: '/v1/chat/completions', stream: false,
      status: r.status, outcome: r.outcome, model: r.model, provider: r.provider, virtualKeyId: r.virtualKeyId,
      latencyMs: 10, event: {}, createdAt: at(r.minutes),
    })),
  )
}

async function models(query: string): Promise<string[]> {
  const res = await call(team.token, 'GET', `/logs${query}`)
  expect(res.status, res.text).toBe(200)
  return (res.body?.data as { model: string }[]).map((d) => d.model)
}

beforeAll(async () => {
  services = createTestServices()
  call = adminClient(services)
  ;[team, other] = await Promise.all([seedTeam(services.db), seedTeam(services.db)])
  await seed(team.teamId, [
    { minutes: 0, status: 200, outcome: 'success', model: 'm0', provider: 'openai', virtualKeyId: 'vk_a' },
    { minutes: 1, status: 429, outcome: 'error', model: 'm1', provider: 'openai', virtualKeyId: 'vk_b' },
    { minutes: 2, status: 500, outcome: 'error', model: 'm2', provider: 'anthropic', virtualKeyId: 'vk_a' },
    { minutes: 3, status: 200, outcome: 'incomplete', model: 'm3', provider: 'anthropic', virtualKeyId: null },
    { minutes: 4, status: 499, outcome: 'client_cancelled', model: 'm4', provider: 'openai', virtualKeyId: 'vk_a' },
  ])
  await seed(other.teamId, [{ minutes: 2, status: 500, outcome: 'error', model: 'other', provider: 'openai', virtualKeyId: 'vk_a' }])
})
afterAll(() => services.close())

describe('GET /api/v1/logs filters', () => {
  it('lists the team’s logs newest first, never another team’s', async () => {
    expect(await models('')).toEqual(['m4', 'm3', 'm2', 'm1', 'm0'])
  })

  it('filters by time range: from inclusive, to exclusive', async () => {
    expect(await models(`?from=${at(1).toISOString()}&to=${at(3).toISOString()}`)).toEqual(['m2', 'm1'])
  })

  it('filters by exact status and by status class', async () => {
    expect(await models('?status=429')).toEqual(['m1'])
    expect(await models('?status=2xx')).toEqual(['m3', 'm0'])
    expect(await models('?status=4xx')).toEqual(['m4', 'm1'])
    expect(await models('?status=5xx')).toEqual(['m2'])
  })

  it('filters by outcome, model, provider and virtual key, ANDed', async () => {
    expect(await models('?outcome=error')).toEqual(['m2', 'm1'])
    expect(await models('?model=m3')).toEqual(['m3'])
    expect(await models('?provider=anthropic')).toEqual(['m3', 'm2'])
    expect(await models('?virtualKeyId=vk_a')).toEqual(['m4', 'm2', 'm0'])
    expect(await models('?virtualKeyId=vk_a&provider=openai&outcome=success')).toEqual(['m0'])
  })

  it('paginates a filtered listing with the cursor', async () => {
    const first = await call(team.token, 'GET', '/logs?virtualKeyId=vk_a&limit=2')
    expect((first.body?.data as { model: string }[]).map((d) => d.model)).toEqual(['m4', 'm2'])
    const cursor = first.body?.nextCursor as string
    expect(cursor).toBeTruthy()
    const second = await call(team.token, 'GET', `/logs?virtualKeyId=vk_a&limit=2&cursor=${cursor}`)
    expect((second.body?.data as { model: string }[]).map((d) => d.model)).toEqual(['m0'])
    expect(second.body?.nextCursor).toBeNull()
  })

  it('rejects malformed filters with 422 naming the field', async () => {
    for (const query of ['?status=abc', '?status=600', '?outcome=nope', '?from=yesterday']) {
      const res = await call(team.token, 'GET', `/logs${query}`)
      expect(res.status, query).toBe(422)
      expect(res.text).toContain(query.slice(1).split('=')[0])
    }
  })
})
