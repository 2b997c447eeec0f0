import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AppServices } from '../services/app-services.server.ts'
import { can, type Permission } from '../services/permissions.ts'
import { createSession } from '../services/session.server.ts'
import { sessionCookieName } from '../services/session-cookie.server.ts'
import { type AuthorizationWorld, buildAuthorizationWorld } from '../testing/authorization-world.ts'
import { createTestServices, type TestServices } from '../testing/fixtures.ts'
import * as apiTokens from './teams.$team.api-tokens.tsx'
import * as providerDetail from './teams.$team.providers.$id.tsx'
import * as providers from './teams.$team.providers._index.tsx'
import * as keyDetail from './teams.$team.virtual-keys.$id.tsx'
import * as keys from './teams.$team.virtual-keys._index.tsx'

// Authorization of the vault pages' loaders and actions (providers, virtual keys, API tokens),
// called in-process with a real session: anonymous → redirect to /login; each role of team A →
// allowed or 403 per the permission table; team B's admin → 404 on team A's slug, and 404 on
// team A's ids under its own slug. Allowed writes submit an invalid form (400), which proves the
// caller got past authorization without changing anything.

type Identity = 'anonymous' | 'owner' | 'admin' | 'member' | 'viewer' | 'other team admin (A slug)' | 'other team admin (own slug, A id)'
const IDENTITIES: Identity[] = ['anonymous', 'owner', 'admin', 'member', 'viewer', 'other team admin (A slug)', 'other team admin (own slug, A id)']

type Handler = (args: LoaderFunctionArgs | ActionFunctionArgs) => Promise<unknown>

interface Case {
  name: string
  permission: Permission
  handler: Handler
  /** The resource id the URL names (detail pages), from team A. */
  id?: (w: AuthorizationWorld) => string
  form?: Record<string, string>
}

const CASES: Case[] = [
  { name: 'providers loader', permission: 'providers.read', handler: providers.loader as Handler },
  { name: 'providers action', permission: 'providers.write', handler: providers.action as Handler, form: { type: 'openai', name: '' } },
  { name: 'provider loader', permission: 'providers.read', handler: providerDetail.loader as Handler, id: (w) => w.ids.provider },
  { name: 'provider action', permission: 'providers.write', handler: providerDetail.action as Handler, id: (w) => w.ids.provider, form: { intent: 'update', name: '' } },
  { name: 'virtual keys loader', permission: 'virtualKeys.read', handler: keys.loader as Handler },
  { name: 'virtual keys action', permission: 'virtualKeys.write', handler: keys.action as Handler, form: { name: '' } },
  { name: 'virtual key loader', permission: 'virtualKeys.read', handler: keyDetail.loader as Handler, id: (w) => w.ids.virtualKey },
  { name: 'virtual key action', permission: 'virtualKeys.write', handler: keyDetail.action as Handler, id: (w) => w.ids.virtualKey, form: { intent: 'update', name: '' } },
  { name: 'api tokens loader', permission: 'adminTokens.manage', handler: apiTokens.loader as Handler },
  { name: 'api tokens action', permission: 'adminTokens.manage', handler: apiTokens.action as Handler, form: { intent: 'create', name: '', role: 'viewer' } },
]

let services: TestServices
let quiet: AppServices
let world: AuthorizationWorld
const cookies = new Map<string, string>()

async function cookieOf(userId: string): Promise<string> {
  const known = cookies.get(userId)
  if (known) return known
  const { token } = await createSession(services.db, { userId })
  const cookie = `${sessionCookieName(false)}=${token}`
  cookies.set(userId, cookie)
  return cookie
}

function statusOf(outcome: unknown): number {
  if (outcome instanceof Response) return outcome.status
  if (outcome && typeof outcome === 'object' && 'init' in outcome) {
    const init = (outcome as { init?: { status?: number } | null }).init
    return init?.status ?? 200
  }
  return 200
}

async function run(c: Case, identity: Identity): Promise<{ status: number; location: string | null }> {
  const other = identity.startsWith('other team admin')
  const slug = identity === 'other team admin (own slug, A id)' ? world.b.slug : world.a.slug
  const member = identity === 'anonymous' ? null : other ? world.b.admin : world.a[identity as 'owner' | 'admin' | 'member' | 'viewer']
  const id = c.id?.(world)
  const path = `/teams/${slug}/${c.name.split(' ')[0]}${id ? `/${id}` : ''}`
  const headers = new Headers({ origin: 'http://cp.test' })
  if (member) headers.set('cookie', await cookieOf(member.userId))
  const init: RequestInit = c.form ? { method: 'POST', headers, body: new URLSearchParams(c.form) } : { headers }
  const request = new Request(`http://cp.test${path}`, init)
  const params = { team: slug, ...(id ? { id } : {}) }
  try {
    const outcome = await c.handler({ request, params, context: { services: quiet } })
    return { status: statusOf(outcome), location: outcome instanceof Response ? outcome.headers.get('location') : null }
  } catch (thrown) {
    if (thrown instanceof Response) return { status: thrown.status, location: thrown.headers.get('location') }
    throw thrown
  }
}

function expectedOf(c: Case, identity: Identity): string {
  if (identity === 'anonymous') return 'login'
  if (identity.startsWith('other team admin')) return identity.includes('own slug') && !c.id ? 'skip' : '404'
  return can(identity as 'owner', c.permission) ? 'allowed' : '403'
}

function outcomeOf(result: { status: number; location: string | null }): string {
  if (result.status === 302 && result.location?.startsWith('/login')) return 'login'
  if (result.status === 403 || result.status === 404) return String(result.status)
  return result.status < 500 && ![401, 302].includes(result.status) ? 'allowed' : `status ${result.status}`
}

beforeAll(async () => {
  services = createTestServices()
  quiet = { ...services, publisher: { publish: async () => 0 }, mailer: { mode: 'outbox', send: async () => {}, outbox: () => [] } }
  world = await buildAuthorizationWorld(quiet)
})
afterAll(() => services.close())

describe('vault pages: loader and action authorization', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const failures: string[] = []
    for (const identity of IDENTITIES) {
      const want = expectedOf(c, identity)
      if (want === 'skip') continue
      const got = outcomeOf(await run(c, identity))
      if (got !== want) failures.push(`${identity}: expected ${want}, got ${got}`)
    }
    expect(failures).toEqual([])
  })
})
