import { hashAdminToken, isWellFormedAdminToken } from '@switchyard/shared/keys'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestServices, type TestServices } from '../testing/fixtures.ts'
import { seedRoleTeam } from '../testing/team-world.ts'
import { authenticateAdminToken } from './admin-auth.server.ts'
import { issueAdminToken, listAdminTokens, revokeAdminToken } from './admin-tokens.server.ts'
import { changeMemberRole } from './members.server.ts'

let services: TestServices

beforeAll(() => {
  services = createTestServices()
})
afterAll(() => services.close())

const auth = (token: string) => authenticateAdminToken(services.db, `Bearer ${token}`)
const page = { limit: 50, cursor: null }

describe('admin tokens service', () => {
  it('mints a token shown once, stored as its hash, acting as its creator with the chosen role', async () => {
    const world = await seedRoleTeam(services.db)
    const created = await issueAdminToken(services, world.admin.actor, { name: ' ci ', role: 'member' })
    expect(isWellFormedAdminToken(created.token)).toBe(true)
    expect(created).toMatchObject({ name: 'ci', role: 'member', keyHint: created.token.slice(-4), userId: world.admin.userId })
    const row = await services.db.adminToken.findUnique({ where: { id: created.id } })
    expect(row?.tokenHash).toBe(hashAdminToken(created.token))
    expect(await auth(created.token)).toEqual({ teamId: world.teamId, userId: world.admin.userId, tokenId: created.id, role: 'member' })
    const listed = await listAdminTokens(services, world.owner.actor, page)
    expect(listed.data.map((t) => t.id)).toContain(created.id)
    expect(JSON.stringify(listed)).not.toContain(created.token)
    const audit = await services.db.auditEvent.findMany({ where: { teamId: world.teamId } })
    expect(audit.map((a) => [a.action, a.details])).toEqual([['admin_token.create', { name: 'ci', role: 'member', keyHint: created.keyHint }]])
  })

  it('never mints above the creator\'s role; owners may mint owner tokens; members and viewers none', async () => {
    const world = await seedRoleTeam(services.db)
    await expect(issueAdminToken(services, world.admin.actor, { name: 'x', role: 'owner' })).rejects.toMatchObject({ code: 'forbidden' })
    await expect(issueAdminToken(services, world.member.actor, { name: 'x', role: 'viewer' })).rejects.toMatchObject({ code: 'forbidden' })
    await expect(listAdminTokens(services, world.viewer.actor, page)).rejects.toMatchObject({ code: 'forbidden' })
    expect((await issueAdminToken(services, world.owner.actor, { name: 'root', role: 'owner' })).role).toBe('owner')
  })

  it('revokes: the token answers 401 at once; admins cannot revoke owner tokens; other teams see 404', async () => {
    const world = await seedRoleTeam(services.db)
    const other = await seedRoleTeam(services.db)
    await expect(revokeAdminToken(services, world.admin.actor, { id: world.owner.tokenId })).rejects.toMatchObject({ code: 'forbidden' })
    await expect(revokeAdminToken(services, other.owner.actor, { id: world.viewer.tokenId })).rejects.toMatchObject({ code: 'not_found' })
    await revokeAdminToken(services, world.admin.actor, { id: world.viewer.tokenId })
    await expect(auth(world.viewer.token)).rejects.toMatchObject({ code: 'unauthorized' })
    await expect(revokeAdminToken(services, world.admin.actor, { id: world.viewer.tokenId })).rejects.toMatchObject({ code: 'not_found' })
    expect((await listAdminTokens(services, world.admin.actor, page)).data.map((t) => t.id)).not.toContain(world.viewer.tokenId)
    // Revoking the token you are using is allowed.
    await revokeAdminToken(services, world.admin.actor, { id: world.admin.tokenId })
    await expect(auth(world.admin.token)).rejects.toMatchObject({ code: 'unauthorized' })
  })

  it('caps a token at its holder\'s current role', async () => {
    const world = await seedRoleTeam(services.db)
    const minted = await issueAdminToken(services, world.admin.actor, { name: 'ci', role: 'admin' })
    // Simulate a stale token role (e.g. written before a demotion): authentication still caps it.
    await services.db.membership.update({ where: { teamId_userId: { teamId: world.teamId, userId: world.admin.userId } }, data: { role: 'viewer' } })
    expect((await auth(minted.token)).role).toBe('viewer')
    await changeMemberRole(services, world.owner.actor, { userId: world.admin.userId, role: 'member' })
    // A role change lowers the member's tokens to the new role.
    expect((await services.db.adminToken.findUnique({ where: { id: minted.id } }))?.role).toBe('member')
    expect((await auth(minted.token)).role).toBe('member')
  })
})

describe('admin token expiry', () => {
  it('an expired token answers unauthorized and leaves the list; a past expiry is refused', async () => {
    const world = await seedRoleTeam(services.db)
    const soon = new Date(Date.now() + 60_000)
    const created = await issueAdminToken(services, world.admin.actor, { name: 'short', role: 'viewer', expiresAt: soon.toISOString() })
    expect(created.expiresAt?.toISOString()).toBe(soon.toISOString())
    expect((await auth(created.token)).tokenId).toBe(created.id)
    // Time passes: the row's expiry is moved into the past rather than waiting.
    await services.db.adminToken.update({ where: { id: created.id }, data: { expiresAt: new Date(Date.now() - 1000) } })
    await expect(auth(created.token)).rejects.toMatchObject({ code: 'unauthorized', status: 401 })
    expect((await listAdminTokens(services, world.owner.actor, page)).data.map((t) => t.id)).not.toContain(created.id)
    await expect(issueAdminToken(services, world.admin.actor, { name: 'past', role: 'viewer', expiresAt: '2020-01-01T00:00:00Z' })).rejects.toMatchObject({
      code: 'validation_failed',
    })
    const forever = await issueAdminToken(services, world.admin.actor, { name: 'forever', role: 'viewer' })
    expect(forever.expiresAt).toBeNull()
  })
})
