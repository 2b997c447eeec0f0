import { randomBytes } from 'node:crypto'
import { newId } from '@switchyard/shared/ids'
import type { Db, Role } from '../lib/db.server.ts'
import type { Actor } from '../services/admin-auth.server.ts'
import type { EmailMessage } from '../services/email.server.ts'
import { createMembership, createTeam } from '../models/team.server.ts'
import { createUser } from '../models/user.server.ts'
import { seedToken, uniqueEmail } from './fixtures.ts'

// A team with one member per role (each holding a live admin token of that role), for tests
// of team administration and authorization. Every call creates fresh users and teams.

export interface SeededMember {
  userId: string
  email: string
  role: Role
  token: string
  tokenId: string
  actor: Actor
}

export interface SeededRoleTeam {
  teamId: string
  slug: string
  name: string
  owner: SeededMember
  admin: SeededMember
  member: SeededMember
  viewer: SeededMember
}

export async function seedMember(db: Db, teamId: string, role: Role, email = uniqueEmail(role)): Promise<SeededMember> {
  const user = await createUser(db, { id: newId('user'), email, passwordHash: 'not-a-real-hash' })
  await createMembership(db, { id: newId('membership'), teamId, userId: user.id, role })
  const { token, tokenId } = await seedToken(db, { teamId, userId: user.id, role })
  return { userId: user.id, email, role, token, tokenId, actor: { teamId, userId: user.id, tokenId, role } }
}

export async function seedRoleTeam(db: Db): Promise<SeededRoleTeam> {
  const suffix = randomBytes(5).toString('hex')
  const team = await createTeam(db, { id: newId('team'), name: `World ${suffix}`, slug: `world-${suffix}` })
  const [owner, admin, member, viewer] = await Promise.all(
    (['owner', 'admin', 'member', 'viewer'] as const).map((role) => seedMember(db, team.id, role)),
  )
  return { teamId: team.id, slug: team.slug, name: team.name, owner: owner!, admin: admin!, member: member!, viewer: viewer! }
}

/** A mailer that keeps what it was asked to send. */
export function recordingMailer() {
  const sent: EmailMessage[] = []
  return {
    sent,
    async send(message: EmailMessage) {
      sent.push(message)
    },
  }
}
