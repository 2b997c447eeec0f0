import { newId } from '@switchyard/shared/ids'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createUser } from '../models/user.server.ts'
import { createTestServices, type TestServices, uniqueEmail } from '../testing/fixtures.ts'
import { seedMember, seedRoleTeam } from '../testing/team-world.ts'
import { authenticateAdminToken } from './admin-auth.server.ts'
import { freeTeamSlug } from './team-slug.server.ts'
import { createTeam, deleteTeam, getCurrentTeam, listTeamsForUser, renameTeam, transferOwnership } from './teams.server.ts'

let services: TestServices

beforeAll(() => {
  services = createTestServices()
})
afterAll(() => services.close())

async function newUser() {
  return createUser(services.db, { id: newId('user'), email: uniqueEmail(), passwordHash: 'x' })
}

async function actions(teamId: string) {
  const rows = await services.db.auditEvent.findMany({ where: { teamId }, orderBy: { createdAt: 'asc' } })
  return rows.map((r) => r.action)
}

describe('teams service', () => {
  it('creates a team owned by its creator, with a unique slug derived from the name', async () => {
    const user = await newUser()
    const name = `Acme Corp ${newId('team').slice(5, 12)}`
    const first = await createTeam(services, { userId: user.id }, { name: `  ${name}  ` })
    expect(first).toMatchObject({ name, slug: name.toLowerCase().replace(/ /g, '-'), ownerUserId: user.id })
    const second = await createTeam(services, { userId: user.id }, { name })
    expect(second.slug).toBe(`${first.slug}-2`)
    expect(await freeTeamSlug(services.db, name)).toBe(`${first.slug}-3`)
    const teams = await listTeamsForUser(services.db, user.id)
    expect(teams).toEqual([
      { id: first.id, name, slug: first.slug, role: 'owner' },
      { id: second.id, name, slug: second.slug, role: 'owner' },
    ])
    expect(await actions(first.id)).toEqual(['team.create'])
  })

  it('lets every role read the team and managers rename it (the slug stays)', async () => {
    const world = await seedRoleTeam(services.db)
    expect(await getCurrentTeam(services, world.viewer.actor)).toMatchObject({ id: world.teamId, ownerUserId: world.owner.userId })
    await expect(renameTeam(services, world.member.actor, { name: 'Nope' })).rejects.toMatchObject({ code: 'forbidden' })
    const renamed = await renameTeam(services, world.admin.actor, { name: 'Renamed' })
    expect(renamed).toMatchObject({ name: 'Renamed', slug: world.slug })
    await renameTeam(services, world.admin.actor, { name: 'Renamed' })
    const audit = await services.db.auditEvent.findMany({ where: { teamId: world.teamId } })
    expect(audit).toHaveLength(1)
    expect(audit[0]).toMatchObject({ action: 'team.update', details: { from: world.name, to: 'Renamed' }, actorUserId: world.admin.userId })
  })

  it('transfers ownership to a member; the old owner becomes an admin and their owner tokens are capped', async () => {
    const world = await seedRoleTeam(services.db)
    const team = await transferOwnership(services, world.owner.actor, { userId: world.viewer.userId })
    expect(team.ownerUserId).toBe(world.viewer.userId)
    const roles = await services.db.membership.findMany({ where: { teamId: world.teamId }, select: { userId: true, role: true } })
    expect(roles).toEqual(
      expect.arrayContaining([
        { userId: world.owner.userId, role: 'admin' },
        { userId: world.viewer.userId, role: 'owner' },
      ]),
    )
    expect(roles.filter((r) => r.role === 'owner')).toHaveLength(1)
    const oldOwner = await authenticateAdminToken(services.db, `Bearer ${world.owner.token}`)
    expect(oldOwner.role).toBe('admin')
    const token = await services.db.adminToken.findUnique({ where: { id: world.owner.tokenId } })
    expect(token?.role).toBe('admin')
    expect(await actions(world.teamId)).toEqual(['team.transfer_ownership'])
  })

  it('refuses transfers by non-owners, to non-members and to oneself', async () => {
    const world = await seedRoleTeam(services.db)
    const other = await seedRoleTeam(services.db)
    await expect(transferOwnership(services, world.admin.actor, { userId: world.member.userId })).rejects.toMatchObject({ code: 'forbidden' })
    await expect(transferOwnership(services, world.owner.actor, { userId: other.member.userId })).rejects.toMatchObject({ code: 'not_found' })
    await expect(transferOwnership(services, world.owner.actor, { userId: world.owner.userId })).rejects.toMatchObject({ code: 'validation_failed' })
    // A stale owner actor (ownership already moved) cannot transfer again.
    await transferOwnership(services, world.owner.actor, { userId: world.admin.userId })
    await expect(transferOwnership(services, world.owner.actor, { userId: world.member.userId })).rejects.toMatchObject({ code: 'conflict' })
  })

  it('deletes a team only for its owner and only with the slug as confirmation', async () => {
    const world = await seedRoleTeam(services.db)
    const before = await services.publisher.publish()
    await expect(deleteTeam(services, world.admin.actor, { confirm: world.slug })).rejects.toMatchObject({ code: 'forbidden' })
    await expect(deleteTeam(services, world.owner.actor, { confirm: 'wrong' })).rejects.toMatchObject({ code: 'validation_failed' })
    await deleteTeam(services, world.owner.actor, { confirm: world.slug })
    expect(await services.db.team.findUnique({ where: { id: world.teamId } })).toBeNull()
    expect(await services.db.adminToken.count({ where: { teamId: world.teamId } })).toBe(0)
    expect(await listTeamsForUser(services.db, world.owner.userId)).toEqual([])
    const latest = JSON.parse((await services.infra.snapshots.getLatest()) ?? '{}') as { version: number }
    expect(latest.version).toBeGreaterThan(before)
    await expect(getCurrentTeam(services, world.owner.actor)).rejects.toMatchObject({ code: 'not_found' })
  })

  it('lists only the teams a user belongs to, with their role in each', async () => {
    const world = await seedRoleTeam(services.db)
    const extra = await seedMember(services.db, (await seedRoleTeam(services.db)).teamId, 'viewer')
    expect(await listTeamsForUser(services.db, world.member.userId)).toEqual([
      { id: world.teamId, name: world.name, slug: world.slug, role: 'member' },
    ])
    expect((await listTeamsForUser(services.db, extra.userId)).map((t) => t.role)).toEqual(['viewer'])
  })
})

describe('team slugs', () => {
  it('never hands out a slug that would shadow /teams/new', async () => {
    const user = await newUser()
    const team = await createTeam(services, { userId: user.id }, { name: 'New' })
    expect(team.slug).not.toBe('new')
    expect(team.slug).toMatch(/^new-\d+$/)
  })
})
