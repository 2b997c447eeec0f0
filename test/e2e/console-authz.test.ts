import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Db } from '@switchyard/control-plane/lib/db.server'
import type { AppServices } from '@switchyard/control-plane/services/app-services.server'
import { can } from '@switchyard/control-plane/services/permissions'
import { createSession } from '@switchyard/control-plane/services/session.server'
import { type AuthorizationWorld, buildAuthorizationWorld } from '@switchyard/control-plane/testing/authorization-world'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type ConsoleWithServices, startConsoleWithServices } from '../support/console-services.ts'
import { REPO_ROOT } from '../support/processes.ts'
import { type ActionCase, type AnonymousOutcome, CONSOLE_ROUTES, type TeamRoute } from './console-authz-routes.ts'

// Console issue, "A test enumerates every loader, action and admin-API route and asserts this
// for each role, plus anonymous and another team's admin": every route module of the console,
// over HTTP against a running control plane, with real sessions (minted by the session service):
//   anonymous                      → redirect to /login (team pages, loaders and actions)
//   owner / admin / member / viewer → the loader 200 / action allowed when can(role, permission), else 403
//   team B's admin on team A's slug → 404; on its own slug naming team A's ids → 404 (403 if its role lacks the permission)
//   any action posted with a foreign or missing Origin → 403, whoever sends it (CSRF)
// "Allowed" = any status but 401, 403, 404 and 5xx (a 400 or 409 still got past authorization).

type Who = 'anonymous' | 'owner' | 'admin' | 'member' | 'viewer' | 'other team admin'
const WHO: Who[] = ['anonymous', 'owner', 'admin', 'member', 'viewer', 'other team admin']
type Expected = 'login' | 'forbidden' | 'not_found' | 'allowed' | 'ok'

const ROUTES_DIR = join(REPO_ROOT, 'control-plane', 'app', 'routes')

let running: ConsoleWithServices
let base: string
let db: Db
let services: AppServices

async function cookieFor(world: AuthorizationWorld, who: Who): Promise<string | null> {
  if (who === 'anonymous') return null
  const member = who === 'other team admin' ? world.b.admin : world.a[who]
  const teamId = who === 'other team admin' ? world.b.teamId : world.a.teamId
  const { token } = await createSession(db, { userId: member.userId, activeTeamId: teamId, userAgent: 'authz-matrix' })
  return `switchyard_session=${token}`
}

async function request(method: 'GET' | 'POST', path: string, cookie: string | null, fields?: Record<string, string>, origin: string | null = base) {
  const headers: Record<string, string> = origin === null ? {} : { origin }
  if (cookie) headers.cookie = cookie
  if (fields) headers['content-type'] = 'application/x-www-form-urlencoded'
  const res = await fetch(`${base}${path}`, { method, headers, redirect: 'manual', ...(fields ? { body: new URLSearchParams(fields).toString() } : {}) })
  const text = await res.text()
  return { status: res.status, location: res.headers.get('location') ?? '', text }
}

function matches(outcome: { status: number; location: string }, want: Expected): boolean {
  if (want === 'login') return [302, 303].includes(outcome.status) && outcome.location.startsWith('/login')
  if (want === 'forbidden') return outcome.status === 403
  if (want === 'not_found') return outcome.status === 404
  if (want === 'ok') return outcome.status === 200
  return ![401, 403, 404, 405].includes(outcome.status) && outcome.status < 500
}

function expected(who: Who, permission: Parameters<typeof can>[1], success: 'ok' | 'allowed'): Expected {
  if (who === 'anonymous') return 'login'
  if (who === 'other team admin') return 'not_found'
  return can(who, permission) ? success : 'forbidden'
}

beforeAll(async () => {
  // The same master key as the server, so connections seeded here open there ("test connection").
  running = await startConsoleWithServices('console_authz')
  base = running.server.url
  db = running.db
  services = running.services
})

afterAll(() => running?.stop())

/** One identity's outcome of one call, as a failure line or null. */
async function check(label: string, want: Expected, call: () => Promise<{ status: number; location: string; text: string }>): Promise<string | null> {
  const outcome = await call()
  return matches(outcome, want) ? null : `${label}: expected ${want}, got ${outcome.status} ${outcome.location} ${outcome.text.slice(0, 160).replace(/\s+/g, ' ')}`
}

async function loaderFailures(route: TeamRoute, world: AuthorizationWorld): Promise<string[]> {
  const path = route.path(world)
  const results = await Promise.all(
    WHO.map(async (who) => check(`GET as ${who}`, expected(who, route.loader, 'ok'), async () => request('GET', `/teams/${world.a.slug}${path}`, await cookieFor(world, who)))),
  )
  // Team B's admin on its own slug, naming team A's resource in the path.
  if (world.secrets.some((s) => path.includes(s))) {
    results.push(await check('GET as other team admin, own slug, team A id', 'not_found', async () => request('GET', `/teams/${world.b.slug}${path}`, await cookieFor(world, 'other team admin'))))
  }
  return results.filter((r): r is string => r !== null)
}

async function actionFailures(route: TeamRoute, action: ActionCase, shared: AuthorizationWorld): Promise<string[]> {
  const post = (w: AuthorizationWorld, slug: string) => `/teams/${slug}${route.path(w)}${route.index ? '?index' : ''}`
  const results = await Promise.all(
    WHO.map(async (who) => {
      const want = expected(who, action.permission, 'allowed')
      const world = action.mutates && want === 'allowed' ? await buildAuthorizationWorld(services) : shared
      const fields = { intent: action.intent, ...action.fields?.(world) }
      return check(`POST ${action.intent} as ${who}`, want, async () => request('POST', post(world, world.a.slug), await cookieFor(world, who), fields))
    }),
  )
  if (action.crossTeam) {
    const fields = { intent: action.intent, ...action.fields?.(shared) }
    const want: Expected = can('admin', action.permission) ? 'not_found' : 'forbidden'
    results.push(await check(`POST ${action.intent} as other team admin, own slug, team A ids`, want, async () => request('POST', post(shared, shared.b.slug), await cookieFor(shared, 'other team admin'), fields)))
  }
  return results.filter((r): r is string => r !== null)
}

function anonymousMatches(outcome: { status: number; location: string }, want: AnonymousOutcome): boolean {
  if (want === 'login') return [302, 303].includes(outcome.status) && outcome.location.startsWith('/login')
  if (want === 'redirect') return [302, 303].includes(outcome.status)
  return outcome.status === want
}

// Route modules: files (minus tests) and folder routes (`name/route.tsx`, listed as `name/`).
const files = readdirSync(ROUTES_DIR, { withFileTypes: true })
  .flatMap((e) => (e.isDirectory() ? [`${e.name}/`] : /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [e.name] : []))
  .sort()
const teamRoutes = Object.entries(CONSOLE_ROUTES).flatMap(([file, spec]) => (spec.kind === 'team' ? [[file, spec] as const] : []))
const actionCases = teamRoutes.flatMap(([file, spec]) => spec.actions.map((a) => [`${file} ${a.intent}`, spec, a] as const))

describe('console authorization matrix', () => {
  it('has an entry for every route module in control-plane/app/routes', () => {
    const missing = files.filter((f) => !(f in CONSOLE_ROUTES))
    const stale = Object.keys(CONSOLE_ROUTES).filter((f) => !files.includes(f))
    expect(
      missing.map((f) => `console authz matrix: add "${f}" to CONSOLE_ROUTES in test/e2e/console-authz-routes.ts (its loader's permission and each action intent with its permission, from permissions.ts)`),
    ).toEqual([])
    expect(stale.map((f) => `console authz matrix: "${f}" no longer exists; remove it from CONSOLE_ROUTES`)).toEqual([])
  })

  it.each(Object.entries(CONSOLE_ROUTES).flatMap(([file, spec]) => (spec.kind === 'public' ? [[file, spec] as const] : [])))(
    'anonymous on %s',
    async (_file, spec) => {
      const failures: string[] = []
      for (const [method, want] of [['GET', spec.get], ['POST', spec.post]] as const) {
        if (want === undefined) continue
        const outcome = await request(method, spec.path, null, method === 'POST' ? { intent: 'matrix' } : undefined)
        if (!anonymousMatches(outcome, want)) failures.push(`${method} ${spec.path}: expected ${want}, got ${outcome.status} ${outcome.location}`)
      }
      expect(failures).toEqual([])
    },
  )

  it.each(teamRoutes)('loader of %s', async (_file, spec) => {
    expect(await loaderFailures(spec, await buildAuthorizationWorld(services))).toEqual([])
  })

  it.each(actionCases)('action %s', async (_name, spec, action) => {
    expect(await actionFailures(spec, action, await buildAuthorizationWorld(services))).toEqual([])
  })

  // CSRF matrix: every action, posted by its team's owner (allowed to do anything) from a foreign
  // origin or with no Origin at all, is refused with 403 — and the owner's own post still works.
  it.each(actionCases)('CSRF: action %s from a foreign or missing Origin', async (_name, spec, action) => {
    const world = await buildAuthorizationWorld(services)
    const path = `/teams/${world.a.slug}${spec.path(world)}${spec.index ? '?index' : ''}`
    const fields = { intent: action.intent, ...action.fields?.(world) }
    const cookie = await cookieFor(world, 'owner')
    const outcomes = []
    for (const origin of ['https://evil.example', 'null', null]) {
      outcomes.push((await request('POST', path, cookie, fields, origin)).status)
    }
    expect(outcomes).toEqual([403, 403, 403])
  })
})
