import { createHash } from 'node:crypto'
import { newId } from '@switchyard/shared/ids'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createUser } from '../models/user.server.ts'
import { createTestServices, type TestServices, uniqueEmail } from '../testing/fixtures.ts'
import { recordingMailer, seedRoleTeam } from '../testing/team-world.ts'
import { acceptInvite, createInvite, listInvites, previewInvite, revokeInvite } from './invites.server.ts'
import { memberActor } from './members.server.ts'

let services: TestServices

beforeAll(() => {
  services = createTestServices()
})
afterAll(() => services.close())

const publicUrl = 'http://cp.test'
const page = { limit: 50, cursor: null }

async function setup() {
  const world = await seedRoleTeam(services.db)
  const mailer = recordingMailer()
  const deps = { db: services.db, mailer }
  const email = uniqueEmail('invitee')
  const invitee = await createUser(services.db, { id: newId('user'), email, passwordHash: 'x' })
  return { world, mailer, deps, email, invitee }
}

const tokenOf = (link: string) => link.slice(link.lastIndexOf('/') + 1)

describe('invites service: create, list, revoke', () => {
  it('emails a one-time link, stores only the token\'s hash and lists the invite as pending', async () => {
    const { world, mailer, deps, email } = await setup()
    const { invite, link } = await createInvite(deps, world.admin.actor, { email: email.toUpperCase(), role: 'member', publicUrl })
    expect(link).toMatch(/^http:\/\/cp\.test\/invites\/[A-Za-z0-9_-]{43}$/)
    expect(invite).toMatchObject({ email, role: 'member', invitedById: world.admin.userId })
    expect(invite.expiresAt.getTime() - invite.createdAt.getTime()).toBeGreaterThan(6.9 * 24 * 3600 * 1000)
    expect(mailer.sent).toEqual([{ to: email, subject: expect.stringContaining(world.name), text: expect.stringContaining(link), link, audience: { kind: 'team-managers', teamId: world.teamId } }])
    const row = await services.db.invite.findUnique({ where: { id: invite.id } })
    expect(row?.tokenHash).toBe(createHash('sha256').update(tokenOf(link)).digest('hex'))
    expect(JSON.stringify(row)).not.toContain(tokenOf(link))
    expect((await listInvites(deps, world.owner.actor, page)).data.map((i) => i.id)).toEqual([invite.id])
    const audit = await services.db.auditEvent.findMany({ where: { teamId: world.teamId } })
    expect(audit.map((a) => [a.action, a.details])).toEqual([['invite.create', { email, role: 'member', superseded: 0 }]])
    expect(JSON.stringify(audit)).not.toContain(tokenOf(link))
  })

  it('builds the link on the configured public origin', async () => {
    const { world, deps, email } = await setup()
    const { link } = await createInvite(deps, world.owner.actor, { email, role: 'viewer', publicUrl: 'https://switchyard.example.com' })
    expect(link.startsWith('https://switchyard.example.com/invites/')).toBe(true)
  })

  it('replaces a pending invite to the same address and refuses existing members', async () => {
    const { world, deps, email } = await setup()
    const first = await createInvite(deps, world.admin.actor, { email, role: 'viewer', publicUrl })
    const second = await createInvite(deps, world.admin.actor, { email, role: 'member', publicUrl })
    expect((await listInvites(deps, world.admin.actor, page)).data.map((i) => i.id)).toEqual([second.invite.id])
    expect(await previewInvite(deps, tokenOf(first.link))).toMatchObject({ status: 'revoked' })
    await expect(createInvite(deps, world.admin.actor, { email: world.viewer.email, role: 'member', publicUrl })).rejects.toMatchObject({ code: 'conflict' })
  })

  it('lets only managers invite, list and revoke, and never with the owner role', async () => {
    const { world, deps, email, mailer } = await setup()
    await expect(createInvite(deps, world.member.actor, { email, role: 'viewer', publicUrl })).rejects.toMatchObject({ code: 'forbidden' })
    await expect(createInvite(deps, world.owner.actor, { email, role: 'owner', publicUrl })).rejects.toMatchObject({ code: 'forbidden' })
    await expect(listInvites(deps, world.viewer.actor, page)).rejects.toMatchObject({ code: 'forbidden' })
    expect(mailer.sent).toEqual([])
    const { invite } = await createInvite(deps, world.admin.actor, { email, role: 'admin', publicUrl })
    await expect(revokeInvite(deps, world.member.actor, { id: invite.id })).rejects.toMatchObject({ code: 'forbidden' })
    const other = await seedRoleTeam(services.db)
    await expect(revokeInvite(deps, other.owner.actor, { id: invite.id })).rejects.toMatchObject({ code: 'not_found' })
    await revokeInvite(deps, world.admin.actor, { id: invite.id })
    await expect(revokeInvite(deps, world.admin.actor, { id: invite.id })).rejects.toMatchObject({ code: 'not_found' })
    expect((await listInvites(deps, world.admin.actor, page)).data).toEqual([])
  })
})

describe('invites service: accept', () => {
  it('joins the invitee with the invited role (email matched case-insensitively), once', async () => {
    const { world, deps, email, invitee } = await setup()
    const { link } = await createInvite(deps, world.admin.actor, { email, role: 'member', publicUrl })
    expect(await previewInvite(deps, tokenOf(link))).toMatchObject({ status: 'pending', teamName: world.name, email, role: 'member' })
    const joined = await acceptInvite(deps, { userId: invitee.id, email: email.toUpperCase() }, tokenOf(link))
    expect(joined).toEqual({ teamId: world.teamId, teamSlug: world.slug, role: 'member' })
    expect((await memberActor(services.db, { userId: invitee.id, teamId: world.teamId }))?.role).toBe('member')
    expect(await previewInvite(deps, tokenOf(link))).toMatchObject({ status: 'accepted' })
    await expect(acceptInvite(deps, { userId: invitee.id, email }, tokenOf(link))).rejects.toMatchObject({ reason: 'used', code: 'conflict' })
    const accepted = await services.db.auditEvent.findFirst({ where: { teamId: world.teamId, action: 'invite.accept' } })
    expect(accepted).toMatchObject({ actorUserId: invitee.id, details: { email, role: 'member' } })
  })

  it('refuses another user\'s invite, revoked, expired and unknown links, and existing members', async () => {
    const { world, deps, email, invitee } = await setup()
    const stranger = { userId: world.viewer.userId, email: world.viewer.email }
    const { link, invite } = await createInvite(deps, world.admin.actor, { email, role: 'viewer', publicUrl })
    await expect(acceptInvite(deps, stranger, tokenOf(link))).rejects.toMatchObject({ reason: 'email_mismatch', code: 'forbidden' })
    await expect(acceptInvite(deps, { userId: invitee.id, email }, 'garbage')).rejects.toMatchObject({ reason: 'not_found', code: 'not_found' })
    await expect(acceptInvite(deps, { userId: invitee.id, email }, 'A'.repeat(43))).rejects.toMatchObject({ reason: 'not_found' })
    expect(await previewInvite(deps, 'garbage')).toBeNull()

    await services.db.invite.update({ where: { id: invite.id }, data: { expiresAt: new Date(Date.now() - 1000) } })
    await expect(acceptInvite(deps, { userId: invitee.id, email }, tokenOf(link))).rejects.toMatchObject({ reason: 'expired', code: 'conflict' })
    expect((await listInvites(deps, world.admin.actor, page)).data).toEqual([])

    const again = await createInvite(deps, world.admin.actor, { email, role: 'viewer', publicUrl })
    await revokeInvite(deps, world.admin.actor, { id: again.invite.id })
    await expect(acceptInvite(deps, { userId: invitee.id, email }, tokenOf(again.link))).rejects.toMatchObject({ reason: 'revoked' })

    const forMember = await createInvite(deps, world.admin.actor, { email: uniqueEmail(), role: 'viewer', publicUrl })
    await services.db.invite.update({ where: { id: forMember.invite.id }, data: { email: world.member.email } })
    await expect(
      acceptInvite(deps, { userId: world.member.userId, email: world.member.email }, tokenOf(forMember.link)),
    ).rejects.toMatchObject({ reason: 'already_member', code: 'conflict' })
  })
})
