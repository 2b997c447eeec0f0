import { ADMIN_ROUTES } from '@switchyard/control-plane/api/routes.server'
import type { Db } from '@switchyard/control-plane/lib/db.server'
import { createSession } from '@switchyard/control-plane/services/session.server'
import { type AuthorizationWorld, buildAuthorizationWorld } from '@switchyard/control-plane/testing/authorization-world'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CONSOLE_ROUTES } from '../e2e/console-authz-routes.ts'
import { canary } from '../e2e/walking-skeleton.ts'
import { adminApi } from '../support/admin-api.ts'
import { type ConsoleWithServices, startConsoleWithServices } from '../support/console-services.ts'
import { dumpDatabase } from '../support/databases.ts'

// G-SEC-06, the probe's positive finding "no secret in any API, page, log or table", kept true:
// distinctive secrets of every kind (a provider key, a virtual key, an admin token, a session
// token) are created the way a user creates them, then every admin API GET route of the route
// table, every console page of the team, every table of the database and the server's own
// output are searched for them. The route tables are the ones the authorization matrices walk,
// so a new page or API route is swept without editing this file.

let running: ConsoleWithServices
let base: string
let db: Db
let world: AuthorizationWorld
const secrets: Record<string, string> = {}
const ids: Record<string, string> = {}

beforeAll(async () => {
  running = await startConsoleWithServices('secrets_canary')
  base = running.server.url
  db = running.db
  world = await buildAuthorizationWorld(running.services)

  const admin = adminApi(base, world.a.owner.token)
  secrets.providerKey = canary('provider')
  const provider = await admin.post('/providers', { name: 'canary-openai', type: 'openai', apiKey: secrets.providerKey, baseUrl: 'http://127.0.0.1:9/v1' })
  expect(provider.status, provider.text).toBe(201)
  ids.provider = provider.json?.id as string
  // A key replaced later must not surface either.
  secrets.rotatedProviderKey = canary('rotated')
  expect((await admin.patch(`/providers/${ids.provider}`, { apiKey: secrets.rotatedProviderKey })).status).toBe(200)

  const key = await admin.post('/virtual-keys', { name: 'canary app' })
  expect(key.status, key.text).toBe(201)
  secrets.virtualKey = key.json?.key as string
  ids.virtualKey = key.json?.id as string
  const rotated = await admin.post(`/virtual-keys/${ids.virtualKey}/rotate`, {})
  if (rotated.status === 200 || rotated.status === 201) secrets.rotatedVirtualKey = rotated.json?.key as string

  const token = await admin.post('/admin-tokens', { name: 'canary', role: 'viewer' })
  expect(token.status, token.text).toBe(201)
  secrets.adminToken = token.json?.token as string
  ids.adminToken = token.json?.id as string
  secrets.ownerToken = world.a.owner.token

  const session = await createSession(db, { userId: world.a.owner.userId, activeTeamId: world.a.teamId, userAgent: 'canary' })
  secrets.sessionToken = session.token
  for (const [name, value] of Object.entries(secrets)) expect(value, name).toBeTruthy()
})

afterAll(() => running?.stop())

function leaks(text: string): string[] {
  return Object.entries(secrets).filter(([, value]) => text.includes(value)).map(([name]) => name)
}

function concretePath(path: string): string {
  if (path.startsWith('/providers/')) return path.replace('{id}', ids.provider!)
  if (path.startsWith('/virtual-keys/')) return path.replace('{id}', ids.virtualKey!)
  if (path.startsWith('/admin-tokens/')) return path.replace('{id}', ids.adminToken!)
  if (path.startsWith('/logs/')) return path.replace('{id}', world.ids.log)
  if (path.startsWith('/invites/')) return path.replace('{id}', world.ids.invite)
  return path.replace('{id}', 'unknown')
}

describe('G-SEC-06 secrets never leak (canary sweep)', () => {
  it('no admin API GET route returns a secret', async () => {
    const admin = adminApi(base, world.a.owner.token)
    const gets = ADMIN_ROUTES.filter((r) => r.method === 'GET')
    expect(gets.length).toBeGreaterThan(8)
    const found: string[] = []
    for (const route of gets) {
      const res = await admin.get(concretePath(route.path))
      expect(res.status, `${route.path}: ${res.text.slice(0, 200)}`).toBeLessThan(500)
      for (const name of leaks(res.text)) found.push(`${route.path} returned ${name}`)
    }
    expect(found).toEqual([])
  })

  it('no console page of the team shows a secret', async () => {
    const cookie = `switchyard_session=${secrets.sessionToken}`
    const found: string[] = []
    let pages = 0
    for (const route of Object.values(CONSOLE_ROUTES)) {
      if (route.kind !== 'team') continue
      const res = await fetch(`${base}/teams/${world.a.slug}${route.path(world)}`, { headers: { cookie }, redirect: 'manual' })
      const text = await res.text()
      expect(res.status, route.path(world)).toBe(200)
      pages++
      // The session token is in the request, never in a page.
      for (const name of leaks(text)) found.push(`${route.path(world) || '/'} showed ${name}`)
    }
    expect(pages).toBeGreaterThan(8)
    expect(found).toEqual([])
  })

  it('no table holds a secret in plaintext, and the server never printed one', async () => {
    const dump = await dumpDatabase(running.server.databaseUrl)
    expect(dump).toContain('canary-openai')
    expect(leaks(dump).map((name) => `postgres holds ${name}`)).toEqual([])
    expect(leaks(running.server.process.output()).map((name) => `server output has ${name}`)).toEqual([])
  })
})
