import { hashVirtualKey, isWellFormedVirtualKey } from '@switchyard/shared/keys'
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
  return ConfigSnapshot.parse(JSON.parse((await services.infra.snapshots.getLatest()) ?? 'null'))
}

describe('admin API: virtual keys', () => {
  it('shows the key once, stores only its hash, and publishes it', async () => {
    const team = await seedTeam(services.db)
    const created = await call(team.token, 'POST', '/virtual-keys', {
      name: 'app',
      allowedModels: ['openai-main/gpt-4o-mini'],
      metadata: { env: 'test' },
    })
    expect(created.status).toBe(201)
    const key = created.body?.key as string
    expect(isWellFormedVirtualKey(key)).toBe(true)
    expect(created.body).toEqual({
      id: expect.stringMatching(/^vk_/),
      name: 'app',
      key,
      keyHint: key.slice(-4),
      allowedModels: ['openai-main/gpt-4o-mini'],
      expiresAt: null,
      metadata: { env: 'test' },
      limits: {},
      ownerUserId: team.userId,
      createdById: team.userId,
      lastUsedAt: null,
      rotatedToId: null,
      createdAt: expect.any(String),
    })
    const id = created.body?.id as string
    const row = await services.db.virtualKey.findUnique({ where: { id } })
    expect(row?.keyHash).toBe(hashVirtualKey(key))
    expect(JSON.stringify(row)).not.toContain(key)

    const got = await call(team.token, 'GET', `/virtual-keys/${id}`)
    expect(got.status).toBe(200)
    expect(got.text).not.toContain(key)
    const list = await call(team.token, 'GET', '/virtual-keys')
    expect(list.text).not.toContain(key)
    expect((list.body?.data as unknown[]).length).toBe(1)

    const snapshot = await latestSnapshot()
    expect(snapshot.virtualKeys.find((k) => k.id === id)).toMatchObject({ teamId: team.teamId, keyHash: hashVirtualKey(key) })
    expect(JSON.stringify(snapshot)).not.toContain(key)
  })

  it('revokes: the key disappears from the API (404) and from the next snapshot', async () => {
    const team = await seedTeam(services.db)
    const created = await call(team.token, 'POST', '/virtual-keys', { name: 'doomed', expiresAt: '2999-01-01T00:00:00Z' })
    expect(created.body?.expiresAt).toBe('2999-01-01T00:00:00.000Z')
    const id = created.body?.id as string
    const hash = hashVirtualKey(created.body?.key as string)
    const before = (await latestSnapshot()).version
    expect((await call(team.token, 'DELETE', `/virtual-keys/${id}`)).status).toBe(204)
    expect((await call(team.token, 'GET', `/virtual-keys/${id}`)).status).toBe(404)
    expect((await call(team.token, 'DELETE', `/virtual-keys/${id}`)).status).toBe(404)
    expect((await call(team.token, 'GET', '/virtual-keys')).body?.data).toEqual([])
    const after = await latestSnapshot()
    expect(after.version).toBeGreaterThan(before)
    expect(after.virtualKeys.some((k) => k.keyHash === hash)).toBe(false)
    const audit = await services.db.auditEvent.findMany({ where: { teamId: team.teamId }, orderBy: { createdAt: 'asc' } })
    expect(audit.map((a) => a.action)).toEqual(['virtual_key.create', 'virtual_key.revoke'])
  })

  it('validates bodies, scopes by team and forbids viewers to write', async () => {
    const team = await seedTeam(services.db)
    const other = await seedTeam(services.db)
    const bad = await call(team.token, 'POST', '/virtual-keys', { name: '', allowedModels: 'all' })
    expect(bad.status).toBe(422)
    expect((bad.body?.error as { details: { path: string }[] }).details.map((d) => d.path).sort()).toEqual(['allowedModels', 'name'])
    expect((await call(team.token, 'POST', '/virtual-keys', { name: 'old', expiresAt: '2000-01-01T00:00:00Z' })).status).toBe(422)

    const theirs = await call(other.token, 'POST', '/virtual-keys', { name: 'theirs' })
    expect((await call(team.token, 'GET', `/virtual-keys/${theirs.body?.id as string}`)).status).toBe(404)
    expect((await call(team.token, 'DELETE', `/virtual-keys/${theirs.body?.id as string}`)).status).toBe(404)

    const viewer = await seedToken(services.db, { teamId: team.teamId, userId: team.userId, role: 'viewer' })
    expect((await call(viewer.token, 'POST', '/virtual-keys', { name: 'x' })).status).toBe(403)
  })
})
