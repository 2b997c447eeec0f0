import { ConfigSnapshot } from '@switchyard/shared/snapshot'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { adminClient, createTestServices, seedTeam, seedToken, type TestServices } from '../testing/fixtures.ts'

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

const CANARY = 'sk-canary-9f8e7d6c5b4a39281706'

describe('admin API: authentication', () => {
  it('rejects a missing, malformed, unknown or revoked token with 401', async () => {
    const team = await seedTeam(services.db)
    expect((await call(null, 'GET', '/providers')).status).toBe(401)
    const garbage = await call('not-a-token', 'GET', '/providers')
    expect(garbage.status).toBe(401)
    expect(garbage.body).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } })
    expect((await call('syadm-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', 'GET', '/providers')).status).toBe(401)
    expect((await call(team.token, 'GET', '/providers')).status).toBe(200)
    await services.db.adminToken.update({ where: { id: team.tokenId }, data: { revokedAt: new Date() } })
    expect((await call(team.token, 'GET', '/providers')).status).toBe(401)
  })

  it('records lastUsedAt on use', async () => {
    const team = await seedTeam(services.db)
    await call(team.token, 'GET', '/providers')
    const row = await services.db.adminToken.findUnique({ where: { id: team.tokenId }, select: { lastUsedAt: true } })
    expect(row?.lastUsedAt).toBeInstanceOf(Date)
  })

  it('serves openapi.json without a token, describing every resource', async () => {
    const res = await call(null, 'GET', '/openapi.json')
    expect(res.status).toBe(200)
    expect(res.body?.openapi).toBe('3.1.0')
    const paths = Object.keys(res.body?.paths as object)
    expect(paths).toEqual(
      expect.arrayContaining(['/api/v1/providers', '/api/v1/providers/{id}', '/api/v1/virtual-keys', '/api/v1/virtual-keys/{id}', '/api/v1/logs', '/api/v1/logs/{id}']),
    )
    expect(res.text).toContain('"apiKey"')
  })
})

describe('admin API: providers', () => {
  it('creates, lists, gets, patches and deletes a connection without ever returning the key', async () => {
    const team = await seedTeam(services.db)
    const before = (await latestSnapshot())?.version ?? 0
    const created = await call(team.token, 'POST', '/providers', {
      name: 'openai-main',
      type: 'openai',
      apiKey: CANARY,
      settings: { organization: 'org-1' },
    })
    expect(created.status).toBe(201)
    expect(created.body).toEqual({
      id: expect.stringMatching(/^prov_/),
      name: 'openai-main',
      type: 'openai',
      baseUrl: null,
      keyHint: '1706',
      settings: { organization: 'org-1' },
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    })
    const id = created.body?.id as string
    const afterCreate = await latestSnapshot()
    expect(afterCreate!.version).toBeGreaterThan(before)
    expect(afterCreate!.providers.find((p) => p.id === id)).toMatchObject({ teamId: team.teamId, name: 'openai-main' })

    const list = await call(team.token, 'GET', '/providers')
    expect(list.body).toEqual({ data: [created.body], nextCursor: null })
    expect((await call(team.token, 'GET', `/providers/${id}`)).body).toEqual(created.body)

    const patched = await call(team.token, 'PATCH', `/providers/${id}`, { apiKey: `${CANARY}-v2`, baseUrl: 'https://proxy.example.com/v1' })
    expect(patched.status).toBe(200)
    expect(patched.body).toMatchObject({ id, keyHint: '6-v2', baseUrl: 'https://proxy.example.com/v1' })
    expect((await latestSnapshot())!.version).toBeGreaterThan(afterCreate!.version)

    const row = await services.db.providerConnection.findUnique({ where: { id } })
    expect(JSON.stringify(row)).not.toContain('canary')
    for (const res of [created, list, patched]) expect(res.text).not.toContain('canary')
    const audit = await services.db.auditEvent.findMany({ where: { teamId: team.teamId } })
    expect(audit.map((a) => a.action).sort()).toEqual(['provider.create', 'provider.update'])
    expect(JSON.stringify(audit)).not.toContain('canary')

    const versionBeforeDelete = (await latestSnapshot())!.version
    expect((await call(team.token, 'DELETE', `/providers/${id}`)).status).toBe(204)
    expect((await call(team.token, 'GET', `/providers/${id}`)).status).toBe(404)
    const afterDelete = await latestSnapshot()
    expect(afterDelete!.version).toBeGreaterThan(versionBeforeDelete)
    expect(afterDelete!.providers.some((p) => p.id === id)).toBe(false)
  })

  it('rejects a duplicate name in the same team with 409, but allows it in another team', async () => {
    const team = await seedTeam(services.db)
    const other = await seedTeam(services.db)
    const body = { name: 'dup', type: 'openai', apiKey: 'sk-1234' }
    expect((await call(team.token, 'POST', '/providers', body)).status).toBe(201)
    const dup = await call(team.token, 'POST', '/providers', body)
    expect(dup.status).toBe(409)
    expect((dup.body?.error as { code: string }).code).toBe('conflict')
    expect((await call(other.token, 'POST', '/providers', body)).status).toBe(201)
  })

  it('answers 422 with field details for invalid bodies', async () => {
    const team = await seedTeam(services.db)
    const unknownType = await call(team.token, 'POST', '/providers', { name: 'Bad Name', type: 'nope', baseUrl: 'ftp://x' })
    expect(unknownType.status).toBe(422)
    expect((unknownType.body?.error as { code: string }).code).toBe('validation_failed')
    expect((unknownType.body?.error as { details: { path: string }[] }).details.map((d) => d.path)).toContain('type')

    const bad = await call(team.token, 'POST', '/providers', { name: 'Bad Name', type: 'openai', baseUrl: 'ftp://x' })
    expect(bad.status).toBe(422)
    const error = bad.body?.error as { code: string; details: { path: string }[] }
    expect(error.details.map((d) => d.path).sort()).toEqual(['apiKey', 'baseUrl', 'name'])

    expect((await call(team.token, 'POST', '/providers', '{not json')).status).toBe(422)

    const compatible = await call(team.token, 'POST', '/providers', { name: 'c', type: 'openai-compatible', apiKey: 'k' })
    expect(compatible.status).toBe(422)
    expect((compatible.body?.error as { details: { path: string }[] }).details[0]?.path).toBe('baseUrl')
  })

  it('hides another team\'s connections behind 404', async () => {
    const team = await seedTeam(services.db)
    const other = await seedTeam(services.db)
    const created = await call(other.token, 'POST', '/providers', { name: 'theirs', type: 'openai', apiKey: 'sk-x' })
    const id = created.body?.id as string
    expect((await call(team.token, 'GET', `/providers/${id}`)).status).toBe(404)
    expect((await call(team.token, 'PATCH', `/providers/${id}`, { name: 'mine' })).status).toBe(404)
    expect((await call(team.token, 'DELETE', `/providers/${id}`)).status).toBe(404)
    expect((await call(other.token, 'GET', `/providers/${id}`)).status).toBe(200)
  })

  it('lets a viewer read but not write (403)', async () => {
    const team = await seedTeam(services.db)
    const viewer = await seedToken(services.db, { teamId: team.teamId, userId: team.userId, role: 'viewer' })
    const created = await call(team.token, 'POST', '/providers', { name: 'p', type: 'openai', apiKey: 'sk-x' })
    const id = created.body?.id as string
    expect((await call(viewer.token, 'GET', '/providers')).status).toBe(200)
    const forbidden = await call(viewer.token, 'POST', '/providers', { name: 'q', type: 'openai', apiKey: 'sk-x' })
    expect(forbidden.status).toBe(403)
    expect((forbidden.body?.error as { code: string }).code).toBe('forbidden')
    expect((await call(viewer.token, 'PATCH', `/providers/${id}`, { name: 'r' })).status).toBe(403)
    expect((await call(viewer.token, 'DELETE', `/providers/${id}`)).status).toBe(403)
  })

  it('paginates newest first with limit and cursor', async () => {
    const team = await seedTeam(services.db)
    for (const name of ['p1', 'p2', 'p3', 'p4', 'p5']) {
      await call(team.token, 'POST', '/providers', { name, type: 'openai', apiKey: 'sk-x' })
    }
    const names: string[] = []
    let cursor: string | null = null
    let pages = 0
    do {
      const res = await call(team.token, 'GET', `/providers?limit=2${cursor ? `&cursor=${cursor}` : ''}`)
      expect(res.status).toBe(200)
      names.push(...(res.body?.data as { name: string }[]).map((p) => p.name))
      cursor = res.body?.nextCursor as string | null
      pages++
    } while (cursor)
    expect(pages).toBe(3)
    expect(names).toEqual(['p5', 'p4', 'p3', 'p2', 'p1'])
    expect((await call(team.token, 'GET', '/providers?limit=201')).status).toBe(422)
    expect((await call(team.token, 'GET', '/providers?cursor=garbage')).status).toBe(422)
  })
})
