import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { can, type Permission } from '../services/permissions.ts'
import {
  adminTokenOf,
  type AuthorizationWorld,
  buildAuthorizationWorld,
  IDENTITY_NAMES,
  type Identity,
  identityIn,
} from '../testing/authorization-world.ts'
import type { AppServices } from '../services/app-services.server.ts'
import { adminClient, createTestServices, type TestServices } from '../testing/fixtures.ts'
import type { RouteDefinition } from './router.server.ts'
import { ADMIN_ROUTES } from './routes.server.ts'

// THE authorization matrix (G-SEC-14): every operation × every identity, with the outcome the
// permission table (permissions.ts) predicts:
//   anonymous, garbage token, revoked token                 → 401
//   owner / admin / member / viewer of team A               → allowed if can(role, permission), else 403
//   admin / owner of team B, on a call naming team A's ids  → 404 (never 403 on the id, never data)
//   admin / owner of team B, on a call without ids          → per the table, acting on team B only
// "Allowed" = any status other than 401, 403, 404 and 5xx (a 409 or 422 still proves the
// caller got past authorization). Admin API cases come from ADMIN_ROUTES itself, so a new route
// cannot be left out. Console loaders/actions join as more `AuthzCase`s in CASES below.

interface Outcome {
  status: number
  text: string
}

export interface AuthzCase {
  name: string
  permission: Permission
  /** The call names one of team A's resources (path or body): team B must get 404. */
  targetsTeamResource: boolean
  /** It may change state: each identity gets a fresh world. */
  mutates: boolean
  run(world: AuthorizationWorld, identity: Identity): Promise<Outcome>
}

/** `{param}` → the team A resource it names, by the collection it belongs to. */
const PATH_PARAMS: Record<string, (w: AuthorizationWorld) => string> = {
  'providers/{id}': (w) => w.ids.provider,
  'virtual-keys/{id}': (w) => w.ids.virtualKey,
  'logs/{id}': (w) => w.ids.log,
  'invites/{id}': (w) => w.ids.invite,
  'admin-tokens/{id}': (w) => w.ids.adminToken,
  'members/{userId}': (w) => w.target.userId,
  'routes/{alias}': (w) => w.ids.route,
}

const unique = () => randomBytes(4).toString('hex')

/** A valid request per operation with a body or a required query. */
const SAMPLES: Record<string, { body?: (w: AuthorizationWorld) => unknown; query?: (w: AuthorizationWorld) => string }> = {
  createProvider: { body: () => ({ name: `m-${unique()}`, type: 'openai', apiKey: 'sk-matrix-1111', baseUrl: 'http://127.0.0.1:9/v1' }) },
  updateProvider: { body: () => ({ name: `m-${unique()}` }) },
  createVirtualKey: { body: () => ({ name: 'matrix' }) },
  updateVirtualKey: { body: () => ({ name: 'renamed' }) },
  rotateVirtualKey: { body: () => ({ gracePeriodSeconds: 0 }) },
  updateTeam: { body: () => ({ name: 'Matrix' }) },
  deleteTeam: { query: (w) => `?confirm=${w.a.slug}` },
  transferTeamOwnership: { body: (w) => ({ userId: w.target.userId }) },
  updateMember: { body: () => ({ role: 'member' }) },
  createInvite: { body: () => ({ email: `m-${unique()}@example.test`, role: 'viewer' }) },
  createAdminToken: { body: () => ({ name: 'matrix', role: 'viewer' }) },
  putRoute: { body: (w) => ({ plan: { type: 'fallback', children: [{ type: 'target', model: `${w.connection}/gpt-4o` }] } }) },
  rollbackRoute: { body: () => ({ version: 1 }) },
}

/** Operations whose body (not path) names a team A resource. */
const BODY_REFERENCES = new Set(['transferTeamOwnership'])

/**
 * Operations whose path holds a name in the caller's own team's namespace, not an id: another
 * team's PUT of team A's alias writes (or here, fails to validate) a route of its own.
 */
const OWN_NAMESPACE = new Set(['putRoute'])

function resolvePath(route: RouteDefinition, world: AuthorizationWorld): string {
  return route.path.replace(/([\w-]+)\/\{(\w+)\}/g, (whole: string) => {
    const source = PATH_PARAMS[whole]
    if (!source) throw new Error(`authorization matrix: map "${whole}" (${route.operationId}) to a team A resource in PATH_PARAMS`)
    return whole.replace(/\{\w+\}/, source(world))
  })
}

let services: TestServices
/** The services under test, minus snapshot publishing and email (not what this test is about). */
let quiet: AppServices
let call: ReturnType<typeof adminClient>

function apiCase(route: RouteDefinition): AuthzCase {
  const sample = SAMPLES[route.operationId]
  return {
    name: `${route.method} /api/v1${route.path}`,
    permission: route.permission,
    targetsTeamResource: (route.path.includes('{') && !OWN_NAMESPACE.has(route.operationId)) || BODY_REFERENCES.has(route.operationId),
    mutates: route.method !== 'GET',
    async run(world, identity) {
      if (route.body && !sample?.body) throw new Error(`authorization matrix: add a sample body for ${route.operationId} in SAMPLES`)
      const path = resolvePath(route, world) + (sample?.query?.(world) ?? '')
      return call(adminTokenOf(world, identity), route.method, path, sample?.body?.(world))
    },
  }
}

const CASES: AuthzCase[] = [
  ...ADMIN_ROUTES.map(apiCase),
  // Console loaders and actions: add cases here (run() signs `identity.member` in and calls
  // the loader/action with team A's ids).
]

type Expected = 'unauthorized' | 'forbidden' | 'not_found' | 'allowed'

function expected(c: AuthzCase, identity: Identity): Expected {
  if (!identity.role) return 'unauthorized'
  if (!can(identity.role, c.permission)) return 'forbidden'
  if (identity.team === 'B' && c.targetsTeamResource) return 'not_found'
  return 'allowed'
}

function matches(outcome: Outcome, want: Expected): boolean {
  const { status } = outcome
  if (want === 'unauthorized') return status === 401 && outcome.text.includes('"unauthorized"')
  if (want === 'forbidden') return status === 403
  if (want === 'not_found') return status === 404
  return ![401, 403, 404].includes(status) && status < 500
}

beforeAll(() => {
  services = createTestServices()
  quiet = {
    ...services,
    publisher: { publish: async () => 0 },
    mailer: { mode: 'outbox', send: async () => {}, outbox: () => [] },
  }
  call = adminClient(quiet)
})
afterAll(() => services.close())

describe('authorization matrix', () => {
  it('covers every admin API route, each mapped to a permission of the table', () => {
    expect(ADMIN_ROUTES.length).toBeGreaterThan(20)
    for (const route of ADMIN_ROUTES) expect(typeof can('owner', route.permission)).toBe('boolean')
    expect(new Set(ADMIN_ROUTES.map((r) => `${r.method} ${r.path}`)).size).toBe(ADMIN_ROUTES.length)
  })

  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    // Calls expected to change state get a world of their own; refused ones share one (if a
    // refused call got through anyway, it is reported all the same).
    const shared = await buildAuthorizationWorld(quiet)
    const failures: string[] = []
    await Promise.all(
      IDENTITY_NAMES.map(async (name) => {
        const want = expected(c, identityIn(shared, name))
        const world = c.mutates && want === 'allowed' ? await buildAuthorizationWorld(quiet) : shared
        const identity = identityIn(world, name)
        const outcome = await c.run(world, identity)
        if (!matches(outcome, want)) failures.push(`${name}: expected ${want}, got ${outcome.status} ${outcome.text.slice(0, 200)}`)
        if (identity.team === 'B') {
          const leaked = world.secrets.filter((s) => outcome.text.includes(s))
          if (leaked.length > 0) failures.push(`${name}: response contains team A data (${leaked.join(', ')})`)
        }
      }),
    )
    expect(failures).toEqual([])
  })
})
