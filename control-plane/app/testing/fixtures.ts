import { randomBytes } from 'node:crypto'
import { buildKeyring, generateMasterKeyBase64, type Keyring } from '@switchyard/shared/crypto'
import { createMemoryInfra, type Infra } from '@switchyard/shared/infra'
import { newId } from '@switchyard/shared/ids'
import { adminTokenHint, generateAdminToken, hashAdminToken } from '@switchyard/shared/keys'
import { testDatabaseUrl } from '../../../test/support/services.ts'
import { createAdminApi } from '../api/admin-api.server.ts'
import { createDb, type Db, type Role } from '../lib/db.server.ts'
import { createAdminToken } from '../models/admin-token.server.ts'
import { createMembership, createTeam } from '../models/team.server.ts'
import { createUser } from '../models/user.server.ts'
import { type AppServices, createAppServices } from '../services/app-services.server.ts'
import type { ConsoleConfig } from '../services/auth-config.server.ts'

// Test fixtures for the control plane: services over this run's database and a memory infra,
// and teams created per test (tests share one database, so each scopes its own data).

export interface TestServices extends AppServices {
  close(): Promise<void>
}

export function createTestServices(options: { infra?: Infra; keyring?: Keyring; allowPrivateUpstreams?: string; config?: ConsoleConfig } = {}): TestServices {
  const db = createDb(testDatabaseUrl())
  const infra = options.infra ?? createMemoryInfra()
  const services = createAppServices({
    db,
    infra,
    keyring: options.keyring ?? buildKeyring(generateMasterKeyBase64()),
    // The non-production default: the fake providers listen on loopback.
    allowPrivateUpstreams: options.allowPrivateUpstreams ?? 'loopback',
    ...(options.config ? { config: options.config } : {}),
  })
  return {
    ...services,
    async close() {
      await db.$disconnect()
      await infra.close()
    },
  }
}

export function uniqueEmail(label = 'user'): string {
  return `${label}-${randomBytes(6).toString('hex')}@example.test`
}

export interface SeededTeam {
  teamId: string
  userId: string
  token: string
  tokenId: string
}

/** A team with one member of `role` holding a live admin token. */
export async function seedTeam(db: Db, options: { role?: Role } = {}): Promise<SeededTeam> {
  const role = options.role ?? 'owner'
  const user = await createUser(db, { id: newId('user'), email: uniqueEmail(), passwordHash: 'not-a-real-hash' })
  const suffix = randomBytes(4).toString('hex')
  const team = await createTeam(db, { id: newId('team'), name: `Team ${suffix}`, slug: `team-${suffix}` })
  await createMembership(db, { id: newId('membership'), teamId: team.id, userId: user.id, role })
  return { teamId: team.id, userId: user.id, ...(await seedToken(db, { teamId: team.id, userId: user.id, role })) }
}

export async function seedToken(db: Db, owner: { teamId: string; userId: string; role: Role }) {
  const token = generateAdminToken()
  const { id } = await createAdminToken(db, {
    id: newId('adminToken'),
    ...owner,
    name: 'test',
    tokenHash: hashAdminToken(token),
    keyHint: adminTokenHint(token),
  })
  return { token, tokenId: id }
}

/** Calls the admin API in-process: `call(token, 'POST', '/providers', body)`. */
export function adminClient(services: AppServices) {
  const api = createAdminApi(services, { log: () => {} })
  return async function call(token: string | null, method: string, path: string, body?: unknown) {
    const headers = new Headers()
    if (token !== null) headers.set('authorization', `Bearer ${token}`)
    if (body !== undefined) headers.set('content-type', 'application/json')
    const response = await api.handle(
      new Request(`http://cp.test/api/v1${path}`, {
        method,
        headers,
        ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      }),
    )
    const text = await response.text()
    return { status: response.status, text, body: text ? (JSON.parse(text) as Record<string, unknown>) : null }
  }
}
