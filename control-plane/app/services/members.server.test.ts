import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestServices, type TestServices } from '../testing/fixtures.ts'
import { seedMember, seedRoleTeam } from '../testing/team-world.ts'
import { authenticateAdminToken } from './admin-auth.server.ts'
import { changeMemberRole, leaveTeam, listMembers, memberActor, removeMember } from './members.server.ts'

let services: TestServices

beforeAll(() => {
  services = createTestServices()
})
afterAll(() => services.close())

const auth = (token: string) => authenticateAdminToken(services.db, `Bearer ${token}`)

describe('members service: list', () => {
  it('lists members newest first with email, name, role and join date, paginated, for every role', async () => {
    const world = await seedRoleTeam(services.db)
    const extra = await seedMember(services.db, world.teamId, 'member')
    const all = await listMembers(services, world.viewer.actor, { limit: 10, cursor: null })
    expect(all.data).toHaveLength(5)
    expect(all.data[0]).toEqual({ userId: extra.userId, email: extra.email, name: '', role: 'member', joinedAt: expect.any(Date) })
    expect(all.nextCursor).toBeNull()
    const first = await listMembers(services, world.viewer.actor, { limit: 3, cursor: null })
    const rest = await listMembers(services, world.viewer.actor, { limit: 3, cursor: first.nextCursor })
    expect([...first.data, ...rest.data].map((m) => m.userId)).toEqual(all.data.map((m) => m.userId))
    expect(rest.nextCursor).toBeNull()
  })

  it('builds a console actor only for members', async () => {
    const world = await seedRoleTeam(services.db)
    const other = await seedRoleTeam(services.db)
    expect(await memberActor(services.db, { userId: world.admin.userId, teamId: world.teamId })).toEqual({
      teamId: world.teamId,
      userId: world.admin.userId,
      tokenId: null,
      role: 'admin',
    })
    expect(await memberActor(services.db, { userId: world.admin.userId, teamId: other.teamId })).toBeNull()
  })
})

describe('members service: roles', () => {
  it('lets an admin promote a viewer to admin and demote a member; tokens follow a demotion', async () => {
    const world = await seedRoleTeam(services.db)
    const promoted = await changeMemberRole(services, world.admin.actor, { userId: world.viewer.userId, role: 'admin' })
    expect(promoted).toMatchObject({ userId: world.viewer.userId, role: 'admin' })
    await changeMemberRole(services, world.admin.actor, { userId: world.member.userId, role: 'viewer' })
    expect((await auth(world.member.token)).role).toBe('viewer')
    expect((await services.db.adminToken.findUnique({ where: { id: world.member.tokenId } }))?.role).toBe('viewer')
    const audit = await services.db.auditEvent.findMany({ where: { teamId: world.teamId }, orderBy: { createdAt: 'asc' } })
    expect(audit.map((a) => [a.action, a.details])).toEqual([
      ['member.role_change', { email: world.viewer.email, from: 'viewer', to: 'admin' }],
      ['member.role_change', { email: world.member.email, from: 'member', to: 'viewer' }],
    ])
  })

  it('lets the owner manage admins, but an admin never another admin or the owner', async () => {
    const world = await seedRoleTeam(services.db)
    const peer = await seedMember(services.db, world.teamId, 'admin')
    await expect(changeMemberRole(services, world.admin.actor, { userId: peer.userId, role: 'member' })).rejects.toMatchObject({ code: 'forbidden' })
    await expect(removeMember(services, world.admin.actor, { userId: peer.userId })).rejects.toMatchObject({ code: 'forbidden' })
    await expect(changeMemberRole(services, world.admin.actor, { userId: world.owner.userId, role: 'admin' })).rejects.toMatchObject({ code: 'forbidden' })
    await expect(changeMemberRole(services, world.owner.actor, { userId: world.owner.userId, role: 'admin' })).rejects.toMatchObject({ code: 'forbidden' })
    expect(await changeMemberRole(services, world.owner.actor, { userId: peer.userId, role: 'member' })).toMatchObject({ role: 'member' })
    // An admin may step down themselves.
    expect(await changeMemberRole(services, world.admin.actor, { userId: world.admin.userId, role: 'viewer' })).toMatchObject({ role: 'viewer' })
  })

  it('never grants owner, refuses members and viewers, and hides other teams\' members', async () => {
    const world = await seedRoleTeam(services.db)
    const other = await seedRoleTeam(services.db)
    await expect(changeMemberRole(services, world.owner.actor, { userId: world.admin.userId, role: 'owner' })).rejects.toMatchObject({ code: 'forbidden' })
    await expect(changeMemberRole(services, world.member.actor, { userId: world.viewer.userId, role: 'member' })).rejects.toMatchObject({ code: 'forbidden' })
    await expect(changeMemberRole(services, world.owner.actor, { userId: other.viewer.userId, role: 'member' })).rejects.toMatchObject({ code: 'not_found' })
    expect(await services.db.auditEvent.count({ where: { teamId: world.teamId } })).toBe(0)
  })
})

describe('members service: removal and leaving', () => {
  it('removes a member below the actor; the removed member\'s tokens stop working at once', async () => {
    const world = await seedRoleTeam(services.db)
    await removeMember(services, world.admin.actor, { userId: world.member.userId })
    await expect(auth(world.member.token)).rejects.toMatchObject({ code: 'unauthorized' })
    expect(await memberActor(services.db, { userId: world.member.userId, teamId: world.teamId })).toBeNull()
    const [event] = await services.db.auditEvent.findMany({ where: { teamId: world.teamId } })
    expect(event).toMatchObject({ action: 'member.remove', targetId: world.member.userId, details: { role: 'member', revokedTokens: 1 } })
    await expect(removeMember(services, world.admin.actor, { userId: world.member.userId })).rejects.toMatchObject({ code: 'not_found' })
  })

  it('never removes the owner; members cannot remove anyone', async () => {
    const world = await seedRoleTeam(services.db)
    await expect(removeMember(services, world.admin.actor, { userId: world.owner.userId })).rejects.toMatchObject({ code: 'forbidden' })
    await expect(removeMember(services, world.member.actor, { userId: world.viewer.userId })).rejects.toMatchObject({ code: 'forbidden' })
  })

  it('lets anyone but the owner leave (also through removing themselves)', async () => {
    const world = await seedRoleTeam(services.db)
    await leaveTeam(services, world.viewer.actor)
    await removeMember(services, world.member.actor, { userId: world.member.userId })
    await expect(leaveTeam(services, world.owner.actor)).rejects.toMatchObject({ code: 'conflict' })
    await expect(auth(world.viewer.token)).rejects.toMatchObject({ code: 'unauthorized' })
    const audit = await services.db.auditEvent.findMany({ where: { teamId: world.teamId }, orderBy: { createdAt: 'asc' } })
    expect(audit.map((a) => [a.action, a.actorUserId])).toEqual([
      ['member.leave', world.viewer.userId],
      ['member.leave', world.member.userId],
    ])
  })
})
