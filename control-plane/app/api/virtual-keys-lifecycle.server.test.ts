import { randomUUID } from 'node:crypto'
import { hashVirtualKey } from '@switchyard/shared/keys'
import { newId } from '@switchyard/shared/ids'
import { ConfigSnapshot } from '@switchyard/shared/snapshot'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Role } from '../lib/db.server.ts'
import { createMembership } from '../models/team.server.ts'
import { createUser } from '../models/user.server.ts'
import { ingestOnce } from '../services/usage-ingest.server.ts'
import { adminClient, createTestServices, seedTeam, seedToken, type TestServices, uniqueEmail } from '../testing/fixtures.ts'

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

/** Another member of `teamId` with `role`, holding a token. */
async function addMember(teamId: string, role: Role) {
  const user = await createUser(services.db, { id: newId('user'), email: uniqueEmail('member'), passwordHash: 'x' })
  await createMembership(services.db, { id: newId('membership'), teamId, userId: user.id, role })
  return { userId: user.id, ...(await seedToken(services.db, { teamId, userId: user.id, role })) }
}

type Body = Record<string, unknown>

describe('admin API: virtual key settings', () => {
  it('stores limits, owner and string metadata, and patches each field', async () => {
    const team = await seedTeam(services.db)
    const colleague = await addMember(team.teamId, 'member')
    const created = await call(team.token, 'POST', '/virtual-keys', {
      name: 'limited',
      ownerUserId: colleague.userId,
      limits: { rpm: 60, tpm: 100_000, budgetUsd: '25.50', budgetPeriod: 'monthly' },
      metadata: { team: 'search' },
    })
    expect(created.status).toBe(201)
    expect(created.body).toMatchObject({
      ownerUserId: colleague.userId,
      createdById: team.userId,
      limits: { rpm: 60, tpm: 100_000, budgetUsd: '25.50', budgetPeriod: 'monthly' },
    })
    const id = created.body?.id as string
    const before = (await latestSnapshot()).version
    const patched = await call(team.token, 'PATCH', `/virtual-keys/${id}`, {
      name: 'renamed',
      allowedModels: ['openai-main/*', 'fast-route'],
      expiresAt: '2999-01-01T00:00:00Z',
      metadata: { team: 'ads' },
      limits: { rpm: 10 },
      ownerUserId: team.userId,
    })
    expect(patched.status).toBe(200)
    expect(patched.body).toMatchObject({
      id,
      name: 'renamed',
      allowedModels: ['openai-main/*', 'fast-route'],
      expiresAt: '2999-01-01T00:00:00.000Z',
      metadata: { team: 'ads' },
      limits: { rpm: 10 },
      ownerUserId: team.userId,
    })
    expect(patched.text).not.toContain('"key"')
    const snapshot = await latestSnapshot()
    expect(snapshot.version).toBeGreaterThan(before)
    expect(snapshot.virtualKeys.find((k) => k.id === id)).toMatchObject({ name: 'renamed', allowedModels: ['openai-main/*', 'fast-route'] })
  })

  it('refuses bad settings with 422: past expiry, non-member owner, bad limits, metadata and model entries', async () => {
    const team = await seedTeam(services.db)
    const other = await seedTeam(services.db)
    const cases: Body[] = [
      { name: 'k', expiresAt: '2001-01-01T00:00:00Z' },
      { name: 'k', ownerUserId: other.userId },
      { name: 'k', limits: { rpm: 0 } },
      { name: 'k', limits: { budgetUsd: 12.5 } },
      { name: 'k', limits: { budgetPeriod: 'hourly' } },
      { name: 'k', limits: { burst: 5 } },
      { name: 'k', metadata: { nested: { a: 1 } } },
      { name: 'k', metadata: Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`k${i}`, 'v'])) },
      { name: 'k', allowedModels: ['Bad Connection/gpt-4o'] },
      { name: 'k', allowedModels: ['has space'] },
    ]
    for (const body of cases) {
      const res = await call(team.token, 'POST', '/virtual-keys', body)
      expect(res.status, JSON.stringify(body)).toBe(422)
    }
    const key = await call(team.token, 'POST', '/virtual-keys', { name: 'ok' })
    const id = key.body?.id as string
    expect((await call(team.token, 'PATCH', `/virtual-keys/${id}`, { expiresAt: '2001-01-01T00:00:00Z' })).status).toBe(422)
    expect((await call(team.token, 'PATCH', `/virtual-keys/${id}`, { ownerUserId: other.userId })).status).toBe(422)
    expect((await call(team.token, 'PATCH', `/virtual-keys/${id}`, { key: 'sy-x' })).status).toBe(422)
    expect((await call(other.token, 'PATCH', `/virtual-keys/${id}`, { name: 'stolen' })).status).toBe(404)
  })

  it('lets a member mint keys for themselves only, and a viewer nothing', async () => {
    const team = await seedTeam(services.db)
    const member = await addMember(team.teamId, 'member')
    const viewer = await addMember(team.teamId, 'viewer')
    const own = await call(member.token, 'POST', '/virtual-keys', { name: 'mine' })
    expect(own.status).toBe(201)
    expect(own.body?.ownerUserId).toBe(member.userId)
    expect((await call(member.token, 'POST', '/virtual-keys', { name: 'theirs', ownerUserId: team.userId })).status).toBe(403)
    expect((await call(viewer.token, 'POST', '/virtual-keys', { name: 'x' })).status).toBe(403)
    const id = own.body?.id as string
    expect((await call(viewer.token, 'PATCH', `/virtual-keys/${id}`, { name: 'y' })).status).toBe(403)
    expect((await call(viewer.token, 'POST', `/virtual-keys/${id}/rotate`, { gracePeriodSeconds: 0 })).status).toBe(403)
    expect((await call(viewer.token, 'GET', `/virtual-keys/${id}`)).status).toBe(200)
  })
})

describe('admin API: virtual key rotation', () => {
  it('mints a successor with the same settings and keeps the old key alive for the grace period only', async () => {
    const team = await seedTeam(services.db)
    const old = await call(team.token, 'POST', '/virtual-keys', {
      name: 'svc',
      allowedModels: ['openai-main/gpt-4o-mini'],
      metadata: { env: 'prod' },
      limits: { rpm: 5 },
    })
    const oldId = old.body?.id as string
    const started = Date.now()
    const rotated = await call(team.token, 'POST', `/virtual-keys/${oldId}/rotate`, { gracePeriodSeconds: 3600 })
    expect(rotated.status).toBe(201)
    const newKey = rotated.body?.key as string
    expect(newKey).not.toBe(old.body?.key)
    expect(rotated.body).toMatchObject({
      name: 'svc',
      allowedModels: ['openai-main/gpt-4o-mini'],
      metadata: { env: 'prod' },
      limits: { rpm: 5 },
      ownerUserId: team.userId,
      expiresAt: null,
      rotatedToId: null,
    })
    const oldNow = (await call(team.token, 'GET', `/virtual-keys/${oldId}`)).body
    expect(oldNow?.rotatedToId).toBe(rotated.body?.id)
    const graceEnd = Date.parse(oldNow?.expiresAt as string)
    expect(graceEnd).toBeGreaterThanOrEqual(started + 3600_000 - 1000)
    expect(graceEnd).toBeLessThanOrEqual(Date.now() + 3600_000)

    const snapshot = await latestSnapshot()
    expect(snapshot.virtualKeys.find((k) => k.id === oldId)?.expiresAt).toBe(oldNow?.expiresAt)
    expect(snapshot.virtualKeys.find((k) => k.keyHash === hashVirtualKey(newKey))?.allowedModels).toEqual(['openai-main/gpt-4o-mini'])

    expect((await call(team.token, 'POST', `/virtual-keys/${oldId}/rotate`, { gracePeriodSeconds: 0 })).status).toBe(409)
    expect((await call(team.token, 'PATCH', `/virtual-keys/${oldId}`, { expiresAt: '2999-01-01T00:00:00Z' })).status).toBe(409)
    const audit = await services.db.auditEvent.findMany({ where: { teamId: team.teamId, action: 'virtual_key.rotate' } })
    expect(audit).toHaveLength(1)
    expect(JSON.stringify(audit)).not.toContain(newKey)
  })

  it('never extends an earlier expiry, ends the old key at once with grace 0, and validates the grace period', async () => {
    const team = await seedTeam(services.db)
    const soon = new Date(Date.now() + 600_000).toISOString()
    const old = await call(team.token, 'POST', '/virtual-keys', { name: 'short', expiresAt: soon })
    const rotated = await call(team.token, 'POST', `/virtual-keys/${old.body?.id as string}/rotate`, { gracePeriodSeconds: 86_400 })
    expect(rotated.body?.expiresAt).toBe(new Date(soon).toISOString())
    const oldRow = await services.db.virtualKey.findUnique({ where: { id: old.body?.id as string } })
    expect(oldRow?.expiresAt?.toISOString()).toBe(new Date(soon).toISOString())

    const other = await call(team.token, 'POST', '/virtual-keys', { name: 'now' })
    const immediate = await call(team.token, 'POST', `/virtual-keys/${other.body?.id as string}/rotate`, {})
    expect(immediate.status).toBe(201)
    const ended = await services.db.virtualKey.findUnique({ where: { id: other.body?.id as string } })
    expect(ended!.expiresAt!.getTime()).toBeLessThanOrEqual(Date.now())

    const third = await call(team.token, 'POST', '/virtual-keys', { name: 'bad-grace' })
    for (const gracePeriodSeconds of [-1, 30 * 24 * 3600 + 1, 1.5]) {
      expect((await call(team.token, 'POST', `/virtual-keys/${third.body?.id as string}/rotate`, { gracePeriodSeconds })).status).toBe(422)
    }
    expect((await call(team.token, 'POST', '/virtual-keys/vk_missing/rotate', { gracePeriodSeconds: 0 })).status).toBe(404)
  })
})

describe('virtual key lastUsedAt', () => {
  it('is set by the usage ingester from events, at most once a minute per key', async () => {
    const team = await seedTeam(services.db)
    const created = await call(team.token, 'POST', '/virtual-keys', { name: 'used' })
    const id = created.body?.id as string
    const base = Date.now() - 120_000
    const at = (offsetMs: number) => new Date(base + offsetMs).toISOString()
    const event = (createdAt: string) =>
      JSON.stringify({
        requestId: `req_${randomUUID()}`, createdAt, teamId: team.teamId, virtualKeyId: id, endpoint: '/v1/chat/completions',
        provider: 'p', model: 'm', stream: false, status: 200, outcome: 'success', latencyMs: 1, ttftMs: null, usage: null, costUsd: null,
      })
    const ingest = () => ingestOnce({ db: services.db, infra: services.infra, consumer: 'test', blockMs: 10, log: () => {} })

    await services.infra.logs.append([event(at(0)), event(at(1000))])
    await ingest()
    const first = (await call(team.token, 'GET', `/virtual-keys/${id}`)).body?.lastUsedAt
    expect(first).toBe(at(1000))

    await services.infra.logs.append([event(at(30_000))])
    await ingest()
    expect((await call(team.token, 'GET', `/virtual-keys/${id}`)).body?.lastUsedAt).toBe(first)

    await services.infra.logs.append([event(at(61_000))])
    await ingest()
    expect((await call(team.token, 'GET', `/virtual-keys/${id}`)).body?.lastUsedAt).toBe(at(61_000))
  })
})
