import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { adminClient, createTestServices, type TestServices, uniqueEmail } from '../testing/fixtures.ts'
import { seedRoleTeam } from '../testing/team-world.ts'

let services: TestServices
let call: ReturnType<typeof adminClient>

beforeAll(() => {
  services = createTestServices()
  call = adminClient(services)
})
afterAll(() => services.close())

type Listed = { data: Record<string, unknown>[]; nextCursor: string | null }
const errorCode = (body: Record<string, unknown> | null) => (body?.error as { code: string }).code

describe('admin API: team', () => {
  it('gets and renames the team, transfers ownership and lets a member leave', async () => {
    const world = await seedRoleTeam(services.db)
    const got = await call(world.viewer.token, 'GET', '/team')
    expect(got.status).toBe(200)
    expect(got.body).toEqual({
      id: world.teamId, name: world.name, slug: world.slug, ownerUserId: world.owner.userId,
      createdAt: expect.any(String), updatedAt: expect.any(String),
    })
    const renamed = await call(world.admin.token, 'PATCH', '/team', { name: 'Platform' })
    expect(renamed.body).toMatchObject({ name: 'Platform', slug: world.slug })
    expect((await call(world.admin.token, 'PATCH', '/team', { name: 'x', slug: 'hijack' })).status).toBe(422)

    const transferred = await call(world.owner.token, 'POST', '/team/transfer-ownership', { userId: world.admin.userId })
    expect(transferred.status).toBe(200)
    expect(transferred.body?.ownerUserId).toBe(world.admin.userId)
    // The former owner's owner token now acts as an admin: owner-only routes answer 403.
    expect((await call(world.owner.token, 'POST', '/team/transfer-ownership', { userId: world.member.userId })).status).toBe(403)

    expect((await call(world.member.token, 'POST', '/team/leave')).status).toBe(204)
    expect((await call(world.member.token, 'GET', '/team')).status).toBe(401)
    expect(errorCode((await call(world.admin.token, 'POST', '/team/leave')).body)).toBe('conflict')
  })

  it('deletes the team only with ?confirm=<slug>', async () => {
    const world = await seedRoleTeam(services.db)
    const missing = await call(world.owner.token, 'DELETE', '/team')
    expect(missing.status).toBe(422)
    expect((missing.body?.error as { details: { path: string }[] }).details[0]?.path).toBe('confirm')
    expect((await call(world.owner.token, 'DELETE', '/team?confirm=nope')).status).toBe(422)
    expect((await call(world.admin.token, 'DELETE', `/team?confirm=${world.slug}`)).status).toBe(403)
    expect((await call(world.owner.token, 'DELETE', `/team?confirm=${world.slug}`)).status).toBe(204)
    expect((await call(world.owner.token, 'GET', '/team')).status).toBe(401)
  })
})

describe('admin API: members', () => {
  it('lists, changes roles and removes members', async () => {
    const world = await seedRoleTeam(services.db)
    const list = await call(world.viewer.token, 'GET', '/members?limit=2')
    expect(list.status).toBe(200)
    const first = list.body as Listed
    expect(first.data).toHaveLength(2)
    expect(first.data[0]).toEqual({ userId: expect.any(String), email: expect.any(String), name: '', role: expect.any(String), joinedAt: expect.any(String) })
    const rest = (await call(world.viewer.token, 'GET', `/members?limit=2&cursor=${first.nextCursor}`)).body as Listed
    expect([...first.data, ...rest.data].map((m) => m.role).sort()).toEqual(['admin', 'member', 'owner', 'viewer'])

    const patched = await call(world.admin.token, 'PATCH', `/members/${world.viewer.userId}`, { role: 'member' })
    expect(patched.status).toBe(200)
    expect(patched.body).toMatchObject({ userId: world.viewer.userId, role: 'member', email: world.viewer.email })
    expect((await call(world.admin.token, 'PATCH', `/members/${world.viewer.userId}`, { role: 'owner' })).status).toBe(422)
    expect((await call(world.admin.token, 'PATCH', `/members/${world.owner.userId}`, { role: 'viewer' })).status).toBe(403)
    expect((await call(world.admin.token, 'PATCH', '/members/user_nobody', { role: 'viewer' })).status).toBe(404)

    expect((await call(world.admin.token, 'DELETE', `/members/${world.viewer.userId}`)).status).toBe(204)
    expect((await call(world.viewer.token, 'GET', '/team')).status).toBe(401)
    expect((await call(world.admin.token, 'DELETE', `/members/${world.owner.userId}`)).status).toBe(403)
  })
})

describe('admin API: invites', () => {
  it('creates (link shown once), lists and revokes invitations', async () => {
    const world = await seedRoleTeam(services.db)
    const email = uniqueEmail('api-invitee')
    const created = await call(world.admin.token, 'POST', '/invites', { email, role: 'viewer' })
    expect(created.status).toBe(201)
    expect(created.body).toEqual({
      id: expect.stringMatching(/^inv_/), email, role: 'viewer', invitedById: world.admin.userId,
      expiresAt: expect.any(String), createdAt: expect.any(String), url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:3000\/invites\//), // the configured public origin, never the request's
    })
    const token = (created.body?.url as string).split('/').pop() ?? ''
    const sent = services.mailer.outbox()[0]
    expect(sent).toMatchObject({ to: email, link: created.body?.url })

    const list = await call(world.owner.token, 'GET', '/invites')
    const { url: _url, ...resource } = created.body ?? {}
    expect((list.body as Listed).data).toEqual([resource])
    expect(list.text).not.toContain(token)
    expect((await call(world.admin.token, 'POST', '/invites', { email, role: 'owner' })).status).toBe(422)
    expect((await call(world.admin.token, 'POST', '/invites', { email: 'not-an-email', role: 'viewer' })).status).toBe(422)

    expect((await call(world.admin.token, 'DELETE', `/invites/${created.body?.id as string}`)).status).toBe(204)
    expect((await call(world.admin.token, 'DELETE', `/invites/${created.body?.id as string}`)).status).toBe(404)
    expect(((await call(world.owner.token, 'GET', '/invites')).body as Listed).data).toEqual([])
  })
})

describe('admin API: admin tokens and audit events', () => {
  it('creates a token shown once, lists without secrets and revokes with 204, after which it answers 401', async () => {
    const world = await seedRoleTeam(services.db)
    const created = await call(world.admin.token, 'POST', '/admin-tokens', { name: 'deploy', role: 'member' })
    expect(created.status).toBe(201)
    const token = created.body?.token as string
    expect(created.body).toEqual({
      id: expect.stringMatching(/^tok_/), name: 'deploy', role: 'member', keyHint: token.slice(-4),
      userId: world.admin.userId, createdAt: expect.any(String), lastUsedAt: null, expiresAt: null, token,
    })
    expect((await call(token, 'GET', '/team')).status).toBe(200)
    const list = await call(world.owner.token, 'GET', '/admin-tokens')
    expect((list.body as Listed).data.map((t) => t.id)).toContain(created.body?.id)
    expect(list.text).not.toContain(token)
    expect((await call(world.admin.token, 'POST', '/admin-tokens', { name: 'x', role: 'owner' })).status).toBe(403)

    expect((await call(world.admin.token, 'DELETE', `/admin-tokens/${created.body?.id as string}`)).status).toBe(204)
    expect((await call(token, 'GET', '/team')).status).toBe(401)
  })

  it('lists audit events newest first with cursor pagination and never a secret', async () => {
    const world = await seedRoleTeam(services.db)
    const minted = await call(world.owner.token, 'POST', '/admin-tokens', { name: 'a', role: 'viewer' })
    const invite = await call(world.owner.token, 'POST', '/invites', { email: uniqueEmail(), role: 'member' })
    await call(world.owner.token, 'PATCH', '/team', { name: 'Audited' })
    const first = await call(world.admin.token, 'GET', '/audit-events?limit=2')
    expect(first.status).toBe(200)
    const page1 = first.body as Listed
    expect(page1.data.map((e) => e.action)).toEqual(['team.update', 'invite.create'])
    expect(page1.data[0]).toEqual({
      id: expect.any(String), action: 'team.update', targetType: 'team', targetId: world.teamId,
      actorUserId: world.owner.userId, actorTokenId: world.owner.tokenId, details: { from: world.name, to: 'Audited' },
      createdAt: expect.any(String),
    })
    const page2 = (await call(world.admin.token, 'GET', `/audit-events?limit=2&cursor=${page1.nextCursor}`)).body as Listed
    expect(page2).toEqual({ data: [expect.objectContaining({ action: 'admin_token.create' })], nextCursor: null })
    const everything = JSON.stringify([page1, page2])
    expect(everything).not.toContain(minted.body?.token as string)
    expect(everything).not.toContain((invite.body?.url as string).split('/').pop())
    expect((await call(world.member.token, 'GET', '/audit-events')).status).toBe(403)
    expect((await call(world.admin.token, 'GET', '/audit-events?cursor=garbage')).status).toBe(422)
  })

  it('describes every team route in openapi.json with its permission', async () => {
    const doc = (await call(null, 'GET', '/openapi.json')).body as { paths: Record<string, Record<string, Record<string, unknown>>> }
    for (const path of ['/team', '/team/transfer-ownership', '/members', '/members/{userId}', '/invites', '/invites/{id}', '/admin-tokens', '/admin-tokens/{id}', '/audit-events']) {
      expect(doc.paths[`/api/v1${path}`]).toBeDefined()
    }
    expect(doc.paths['/api/v1/audit-events']?.get?.['x-permission']).toBe('audit.read')
    expect(Object.keys(doc.paths['/api/v1/providers']?.get?.responses as object)).not.toContain('403')
    expect(Object.keys(doc.paths['/api/v1/audit-events']?.get?.responses as object)).toContain('403')
  })
})
