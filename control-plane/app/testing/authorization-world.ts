import { randomBytes } from 'node:crypto'
import { newId } from '@switchyard/shared/ids'
import type { Db } from '../lib/db.server.ts'
import { insertRequestLogs } from '../models/request-log.server.ts'
import type { Role } from '../lib/db.server.ts'
import { adminClient, seedToken } from './fixtures.ts'
import type { AppServices } from '../services/app-services.server.ts'
import { seedMember, seedRoleTeam, type SeededMember, type SeededRoleTeam } from './team-world.ts'

// The world an authorization matrix runs in: team A (one member per role, plus a viewer to act
// on, and one resource of each kind) and team B (whose admin and owner probe team A's ids).

export interface AuthorizationWorld {
  a: SeededRoleTeam
  b: SeededRoleTeam
  /** A viewer of team A that member routes act on (`{userId}`, ownership transfer). */
  target: SeededMember
  /** A revoked admin token of team A's owner. */
  revokedToken: string
  /** One live resource of each kind in team A. */
  ids: { provider: string; virtualKey: string; invite: string; adminToken: string; log: string; route: string }
  /** The name of team A's provider connection (route plans name connections by name). */
  connection: string
  /** Strings of team A that a response to team B must never contain. */
  secrets: string[]
}

export type IdentityName =
  | 'anonymous'
  | 'garbage token'
  | 'revoked token'
  | 'owner'
  | 'admin'
  | 'member'
  | 'viewer'
  | 'other team admin'
  | 'other team owner'

export interface Identity {
  name: IdentityName
  /** Team A's member for the role identities; team B's for the other-team ones. */
  member: SeededMember | null
  team: 'A' | 'B' | null
  role: Role | null
}

export const IDENTITY_NAMES: IdentityName[] = [
  'anonymous', 'garbage token', 'revoked token', 'owner', 'admin', 'member', 'viewer', 'other team admin', 'other team owner',
]

export function identityIn(world: AuthorizationWorld, name: IdentityName): Identity {
  switch (name) {
    case 'owner':
    case 'admin':
    case 'member':
    case 'viewer':
      return { name, member: world.a[name], team: 'A', role: name }
    case 'other team admin':
      return { name, member: world.b.admin, team: 'B', role: 'admin' }
    case 'other team owner':
      return { name, member: world.b.owner, team: 'B', role: 'owner' }
    default:
      return { name, member: null, team: null, role: null }
  }
}

/** The bearer credential an identity presents to the admin API. */
export function adminTokenOf(world: AuthorizationWorld, identity: Identity): string | null {
  if (identity.name === 'anonymous') return null
  if (identity.name === 'garbage token') return 'syadm-this-is-not-a-token'
  if (identity.name === 'revoked token') return world.revokedToken
  return identity.member?.token ?? null
}

async function seedLog(db: Db, teamId: string): Promise<string> {
  const id = newId('requestLog')
  await insertRequestLogs(db, [
    {
      id, requestId: newId('request'), teamId, endpoint: '/v1/chat/completions', stream: false, status: 200,
      outcome: 'success', latencyMs: 12, event: {}, createdAt: new Date(),
    },
  ])
  return id
}

export async function buildAuthorizationWorld(services: AppServices): Promise<AuthorizationWorld> {
  const call = adminClient(services)
  const [a, b] = await Promise.all([seedRoleTeam(services.db), seedRoleTeam(services.db)])
  const target = await seedMember(services.db, a.teamId, 'viewer')
  const revoked = await seedToken(services.db, { teamId: a.teamId, userId: a.owner.userId, role: 'owner' })
  await services.db.adminToken.update({ where: { id: revoked.tokenId }, data: { revokedAt: new Date() } })
  const suffix = randomBytes(4).toString('hex')
  const created = await Promise.all([
    call(a.owner.token, 'POST', '/providers', { name: `a-${suffix}`, type: 'openai', apiKey: 'sk-matrix-0000', baseUrl: 'http://127.0.0.1:9/v1' }),
    call(a.owner.token, 'POST', '/virtual-keys', { name: 'matrix' }),
    call(a.owner.token, 'POST', '/invites', { email: `invitee-${suffix}@example.test`, role: 'viewer' }),
    call(a.owner.token, 'POST', '/admin-tokens', { name: 'matrix', role: 'viewer' }),
  ])
  const [provider, virtualKey, invite, adminToken] = created.map((res) => {
    if (res.status !== 201) throw new Error(`authorization world: seeding failed (${res.status}): ${res.text}`)
    return res.body?.id as string
  }) as [string, string, string, string]
  const connection = `a-${suffix}`
  const route = `route-${suffix}`
  const saved = await call(a.owner.token, 'PUT', `/routes/${route}`, { plan: { type: 'target', model: `${connection}/gpt-4o-mini` } })
  if (saved.status !== 201) throw new Error(`authorization world: seeding the route failed (${saved.status}): ${saved.text}`)
  const ids = { provider, virtualKey, invite, adminToken, log: await seedLog(services.db, a.teamId), route }
  const members = [a.owner, a.admin, a.member, a.viewer, target]
  const secrets = [a.teamId, a.slug, ...Object.values(ids), ...members.flatMap((m) => [m.userId, m.email])]
  return { a, b, target, revokedToken: revoked.token, ids, connection, secrets }
}
