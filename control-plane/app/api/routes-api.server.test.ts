import { ConfigSnapshot } from '@switchyard/shared/snapshot'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { adminClient, createTestServices, seedTeam, seedToken, type SeededTeam, type TestServices } from '../testing/fixtures.ts'

// The admin API's routes (CONTRACT.md §Routes): versions, rollback, validation with JSON paths,
// team scoping, and the route reaching the published snapshot.

let services: TestServices
let call: ReturnType<typeof adminClient>

beforeAll(() => {
  services = createTestServices()
  call = adminClient(services)
})
afterAll(() => services.close())

async function latestSnapshot() {
  const json = await services.infra.snapshots.getLatest()
  return json ? ConfigSnapshot.parse(JSON.parse(json)) : null
}

async function teamWithConnections(...names: string[]): Promise<SeededTeam> {
  const team = await seedTeam(services.db)
  for (const name of names) {
    const res = await call(team.token, 'POST', '/providers', { name, type: 'openai', apiKey: 'sk-routes-1234', baseUrl: 'http://127.0.0.1:9/v1' })
    expect(res.status).toBe(201)
  }
  return team
}

const fallback = {
  type: 'fallback',
  children: [
    { type: 'target', model: 'primary/gpt-4o-mini' },
    { type: 'target', model: 'backup/gpt-4o-mini', params: { temperature: 0 } },
  ],
}
const single = { type: 'target', model: 'primary/gpt-4o' }

describe('admin API: routes', () => {
  it('creates version 1 with 201, then answers 200 with version 2, and an identical PUT creates nothing', async () => {
    const team = await teamWithConnections('primary', 'backup')
    const created = await call(team.token, 'PUT', '/routes/support-bot', { plan: fallback, description: 'Support' })
    expect(created.status).toBe(201)
    expect(created.body).toMatchObject({ alias: 'support-bot', version: 1, plan: fallback, description: 'Support', cache: null })
    expect(Object.keys(created.body?.plan as object)[0]).toBe('type')

    const updated = await call(team.token, 'PUT', '/routes/support-bot', { plan: single, description: 'Support', cache: { mode: 'exact', ttlSeconds: 60 } })
    expect(updated.status).toBe(200)
    expect(updated.body).toMatchObject({ version: 2, plan: single, cache: { mode: 'exact', ttlSeconds: 60 } })

    const again = await call(team.token, 'PUT', '/routes/support-bot', { plan: single, description: 'Support', cache: { ttlSeconds: 60, mode: 'exact' } })
    expect(again.status).toBe(200)
    expect(again.body?.version).toBe(2)
    const versions = await call(team.token, 'GET', '/routes/support-bot/versions')
    expect((versions.body?.data as unknown[]).length).toBe(2)
    const audit = await services.db.auditEvent.findMany({ where: { teamId: team.teamId, action: { startsWith: 'route.' } }, select: { action: true } })
    expect(audit.map((a) => a.action).sort()).toEqual(['route.create', 'route.update'])
  })

  it('numbers concurrent saves of one alias without gaps or duplicates (one of them creates it)', async () => {
    const team = await teamWithConnections('primary')
    const plans = [1, 2, 3, 4, 5].map((n) => ({ type: 'target', model: `primary/model-${n}` }))
    const results = await Promise.all(plans.map((plan) => call(team.token, 'PUT', '/routes/busy', { plan })))
    expect(results.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 201])
    expect(results.map((r) => r.body?.version).sort()).toEqual([1, 2, 3, 4, 5])
    const versions = await call(team.token, 'GET', '/routes/busy/versions')
    expect((versions.body?.data as { version: number }[]).map((v) => v.version)).toEqual([5, 4, 3, 2, 1])
  })

  it('lists, gets, lists versions newest first with their plans, rolls back to a new version, and deletes', async () => {
    const team = await teamWithConnections('primary', 'backup')
    await call(team.token, 'PUT', '/routes/bot', { plan: fallback })
    await call(team.token, 'PUT', '/routes/bot', { plan: single })
    await call(team.token, 'PUT', '/routes/other.v2', { plan: single })

    const list = await call(team.token, 'GET', '/routes?limit=1')
    expect(list.body).toMatchObject({ data: [{ alias: 'other.v2', version: 1 }], nextCursor: expect.any(String) })
    const next = await call(team.token, 'GET', `/routes?limit=1&cursor=${String(list.body?.nextCursor)}`)
    expect(next.body).toMatchObject({ data: [{ alias: 'bot', version: 2 }], nextCursor: null })

    expect((await call(team.token, 'GET', '/routes/bot')).body).toMatchObject({ alias: 'bot', version: 2, plan: single })
    const versions = await call(team.token, 'GET', '/routes/bot/versions')
    expect(versions.body).toMatchObject({ data: [{ version: 2, plan: single }, { version: 1, plan: fallback }], nextCursor: null })
    const paged = await call(team.token, 'GET', '/routes/bot/versions?limit=1')
    expect(paged.body).toMatchObject({ data: [{ version: 2 }], nextCursor: '2' })
    expect((await call(team.token, 'GET', '/routes/bot/versions?limit=1&cursor=2')).body).toMatchObject({ data: [{ version: 1 }], nextCursor: null })

    const rolled = await call(team.token, 'POST', '/routes/bot/rollback', { version: 1 })
    expect(rolled.status).toBe(200)
    expect(rolled.body).toMatchObject({ alias: 'bot', version: 3, plan: fallback })
    expect((await call(team.token, 'POST', '/routes/bot/rollback', { version: 9 })).body).toMatchObject({
      error: { code: 'validation_failed', details: [{ path: 'version' }] },
    })

    expect((await call(team.token, 'DELETE', '/routes/bot')).status).toBe(204)
    expect((await call(team.token, 'GET', '/routes/bot')).status).toBe(404)
    expect((await call(team.token, 'GET', '/routes/bot/versions')).status).toBe(404)
    expect(await services.db.routeVersion.count({ where: { route: { alias: 'bot', teamId: team.teamId } } })).toBe(0)
    // The alias is free again, from version 1.
    expect((await call(team.token, 'PUT', '/routes/bot', { plan: single })).body).toMatchObject({ version: 1 })
  })

  it('answers 422 validation_failed with the JSON path of each bad field', async () => {
    const team = await teamWithConnections('primary')
    const res = await call(team.token, 'PUT', '/routes/bad', {
      plan: { type: 'fallback', children: [{ type: 'target', model: 'gpt-4o' }, { type: 'race', children: [single] }], on: ['teapot'] },
    })
    expect(res.status).toBe(422)
    const paths = (res.body?.error as { details: { path: string }[] }).details.map((d) => d.path)
    expect(paths).toEqual(expect.arrayContaining(['plan.children.0.model', 'plan.children.1.children', 'plan.on.0']))
    const alias = await call(team.token, 'PUT', '/routes/Bad%2Falias', { plan: single })
    expect(alias.body).toMatchObject({ error: { code: 'validation_failed', details: [{ path: 'alias' }] } })
    expect(await services.db.route.count({ where: { teamId: team.teamId } })).toBe(0)
  })

  it('G-SEC-17 hostile plans: a deeply nested body is a 422, not a crash', async () => {
    const team = await teamWithConnections('primary')
    const depth = 30_000
    const body = `{"plan":${'{"type":"fallback","children":['.repeat(depth)}${JSON.stringify(single)}${']}'.repeat(depth)}}`
    const res = await call(team.token, 'PUT', '/routes/deep', body)
    expect(res.status).toBe(422)
    expect(res.body).toMatchObject({ error: { code: 'validation_failed', details: [{ path: 'plan', message: expect.stringContaining('nests JSON') }] } })
  })

  it('refuses an unknown or another team\'s connection with 422 at the target\'s path', async () => {
    const team = await teamWithConnections('primary')
    await teamWithConnections('theirs')
    const res = await call(team.token, 'PUT', '/routes/bot', {
      plan: { type: 'fallback', children: [single, { type: 'target', model: 'theirs/gpt-4o' }, { type: 'target', model: 'nowhere/x' }] },
    })
    expect(res.status).toBe(422)
    expect((res.body?.error as { details: { path: string }[] }).details.map((d) => d.path)).toEqual(['plan.children.1.model', 'plan.children.2.model'])
  })

  it('answers 404 for another team\'s alias on every operation, and leaves it untouched', async () => {
    const owner = await teamWithConnections('primary')
    const other = await teamWithConnections('primary')
    await call(owner.token, 'PUT', '/routes/private-bot', { plan: single })
    expect((await call(other.token, 'GET', '/routes/private-bot')).status).toBe(404)
    expect((await call(other.token, 'GET', '/routes/private-bot/versions')).status).toBe(404)
    expect((await call(other.token, 'POST', '/routes/private-bot/rollback', { version: 1 })).status).toBe(404)
    expect((await call(other.token, 'DELETE', '/routes/private-bot')).status).toBe(404)
    expect((await call(other.token, 'GET', '/routes')).body?.data).toEqual([])
    // Their own PUT of the same alias is their own route.
    expect((await call(other.token, 'PUT', '/routes/private-bot', { plan: single })).status).toBe(201)
    expect((await call(owner.token, 'GET', '/routes/private-bot')).body?.version).toBe(1)
  })

  it('lets members and viewers read routes, and only admins and owners change them', async () => {
    const team = await teamWithConnections('primary')
    const member = await seedToken(services.db, { teamId: team.teamId, userId: team.userId, role: 'member' })
    expect((await call(member.token, 'PUT', '/routes/bot', { plan: single })).status).toBe(403)
    await call(team.token, 'PUT', '/routes/bot', { plan: single })
    expect((await call(member.token, 'GET', '/routes/bot')).status).toBe(200)
    expect((await call(member.token, 'DELETE', '/routes/bot')).status).toBe(403)
  })

  it('publishes a snapshot holding the route after each change, and without it after delete', async () => {
    const team = await teamWithConnections('primary', 'backup')
    await call(team.token, 'PUT', '/routes/snap-bot', { plan: fallback, cache: { mode: 'semantic', ttlSeconds: 300, threshold: 0.9, embeddingModel: 'primary/text-embedding-3-small' } })
    let route = (await latestSnapshot())?.routes.find((r) => r.teamId === team.teamId && r.alias === 'snap-bot')
    expect(route).toMatchObject({ version: 1, plan: fallback, cache: { mode: 'semantic', threshold: 0.9 } })
    await call(team.token, 'POST', '/routes/snap-bot/rollback', { version: 1 })
    route = (await latestSnapshot())?.routes.find((r) => r.teamId === team.teamId && r.alias === 'snap-bot')
    expect(route?.version).toBe(2)
    await call(team.token, 'DELETE', '/routes/snap-bot')
    expect((await latestSnapshot())?.routes.some((r) => r.teamId === team.teamId)).toBe(false)
  })

  it('refuses to delete or rename a connection a route names (409 naming the routes)', async () => {
    const team = await teamWithConnections('primary', 'backup')
    await call(team.token, 'PUT', '/routes/uses-backup', { plan: fallback })
    const providers = (await call(team.token, 'GET', '/providers')).body?.data as { id: string; name: string }[]
    const backup = providers.find((p) => p.name === 'backup')!
    const del = await call(team.token, 'DELETE', `/providers/${backup.id}`)
    expect(del.status).toBe(409)
    expect(del.body).toMatchObject({ error: { code: 'conflict', message: expect.stringContaining('uses-backup') } })
    expect((await call(team.token, 'PATCH', `/providers/${backup.id}`, { name: 'renamed' })).status).toBe(409)
    await call(team.token, 'PUT', '/routes/uses-backup', { plan: single })
    expect((await call(team.token, 'DELETE', `/providers/${backup.id}`)).status).toBe(204)
    // Rolling back to the version that named it is refused: it would point at nothing.
    const rollback = await call(team.token, 'POST', '/routes/uses-backup/rollback', { version: 1 })
    expect(rollback.body).toMatchObject({ error: { code: 'validation_failed', details: [{ path: 'plan.children.1.model' }] } })
  })

  it('lets a virtual key\'s allowedModels name route aliases, and refuses an entry that is neither', async () => {
    const team = await teamWithConnections('primary')
    const ok = await call(team.token, 'POST', '/virtual-keys', { name: 'bot', allowedModels: ['support-bot', 'primary/*'] })
    expect(ok.status).toBe(201)
    expect(ok.body?.allowedModels).toEqual(['support-bot', 'primary/*'])
    const bad = await call(team.token, 'POST', '/virtual-keys', { name: 'bot', allowedModels: ['Support-Bot'] })
    expect(bad.body).toMatchObject({ error: { code: 'validation_failed', details: [{ path: 'allowedModels.0' }] } })
  })

  it('describes the routes in openapi.json', async () => {
    const res = await call(null, 'GET', '/openapi.json')
    const paths = res.body?.paths as Record<string, Record<string, { responses: Record<string, unknown> }>>
    expect(Object.keys(paths)).toEqual(expect.arrayContaining(['/api/v1/routes', '/api/v1/routes/{alias}', '/api/v1/routes/{alias}/versions', '/api/v1/routes/{alias}/rollback']))
    expect(Object.keys(paths['/api/v1/routes/{alias}']?.put?.responses ?? {})).toEqual(expect.arrayContaining(['200', '201', '422']))
  })
})
