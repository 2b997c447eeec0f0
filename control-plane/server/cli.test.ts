import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { buildKeyring, generateMasterKeyBase64, open, providerCredentialAad, SealedSecret, seal } from '@switchyard/shared/crypto'
import { hashAdminToken, isWellFormedAdminToken } from '@switchyard/shared/keys'
import { newId } from '@switchyard/shared/ids'
import { ConfigSnapshot } from '@switchyard/shared/snapshot'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import pg from 'pg'
import { adminDatabaseUrl, testRunId } from '../../test/support/services.ts'
import { createDb, type Db } from '../app/lib/db.server.ts'
import { uniqueEmail } from '../app/testing/fixtures.ts'

const run = promisify(execFile)
const CLI = join(import.meta.dirname, 'cli.ts')
const TSX = join(import.meta.dirname, '..', 'node_modules', '.bin', 'tsx')

async function cli(args: string[], env: Record<string, string> = {}) {
  try {
    const { REDIS_URL: _redis, ...inherited } = process.env
    const { stdout } = await run(TSX, [CLI, ...args], {
      env: { ...inherited, DATABASE_URL: databaseUrl, ...env },
      timeout: 60_000,
    })
    return { code: 0, json: JSON.parse(stdout) as Record<string, unknown>, lines: stdout.trim().split('\n').length }
  } catch (err) {
    const failure = err as { code: number; stdout: string }
    return { code: failure.code, json: JSON.parse(failure.stdout) as Record<string, unknown>, lines: failure.stdout.trim().split('\n').length }
  }
}

// Its own database (dropped by the global teardown): rotate-master-key touches every
// credential, and other files seal theirs under keys this test does not hold. The CLI
// migrates it on first use.
let databaseUrl: string
let db: Db
beforeAll(async () => {
  const name = `switchyard_test_${testRunId()}_cli`
  const admin = new pg.Client({ connectionString: adminDatabaseUrl() })
  await admin.connect()
  await admin.query(`CREATE DATABASE "${name}"`)
  await admin.end()
  const url = new URL(adminDatabaseUrl())
  url.pathname = `/${name}`
  databaseUrl = url.toString()
  db = createDb(databaseUrl)
})
afterAll(() => db.$disconnect())

describe('cli', () => {
  it('bootstraps a user, team and owner token, then refuses the same email', async () => {
    const email = uniqueEmail('boot')
    const first = await cli(['bootstrap', '--email', email, '--password', 'correct horse', '--team', 'Acme Inc'])
    expect(first.code).toBe(0)
    expect(first.lines).toBe(1)
    expect(first.json).toEqual({ userId: expect.any(String), teamId: expect.any(String), adminToken: expect.any(String) })
    const token = first.json.adminToken as string
    expect(isWellFormedAdminToken(token)).toBe(true)
    const stored = await db.adminToken.findUnique({ where: { tokenHash: hashAdminToken(token) } })
    expect(stored).toMatchObject({ teamId: first.json.teamId, userId: first.json.userId, role: 'owner' })
    const team = await db.team.findUnique({ where: { id: first.json.teamId as string } })
    expect(team?.slug).toMatch(/^acme-inc/)
    const user = await db.user.findUnique({ where: { email } })
    expect(user?.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/)

    const again = await cli(['bootstrap', '--email', email, '--password', 'another pw', '--team', 'Other'])
    expect(again).toMatchObject({ code: 1, json: { error: { code: 'conflict', message: expect.any(String) } } })
  })

  it('creates tokens for an existing user and refuses a wrong password', async () => {
    const email = uniqueEmail('tok')
    const boot = await cli(['bootstrap', '--email', email, '--password', 'password-1', '--team', 'Tokens'])
    const slug = (await db.team.findUnique({ where: { id: boot.json.teamId as string } }))!.slug
    const created = await cli(['token', 'create', '--email', email, '--password', 'password-1', '--team', slug])
    expect(created.code).toBe(0)
    expect(Object.keys(created.json)).toEqual(['adminToken'])
    const row = await db.adminToken.findUnique({ where: { tokenHash: hashAdminToken(created.json.adminToken as string) } })
    expect(row?.teamId).toBe(boot.json.teamId)

    const wrong = await cli(['token', 'create', '--email', email, '--password', 'password-2'])
    expect(wrong).toMatchObject({ code: 1, json: { error: { code: 'unauthorized' } } })
  })

  it('token create --expires-at gives the token an expiry; a past one is refused', async () => {
    const email = uniqueEmail('tokexp')
    await cli(['bootstrap', '--email', email, '--password', 'password-1', '--team', 'Expiring'])
    const expiresAt = new Date(Date.now() + 3_600_000).toISOString()
    const created = await cli(['token', 'create', '--email', email, '--password', 'password-1', '--expires-at', expiresAt])
    expect(Object.keys(created.json)).toEqual(['adminToken'])
    const row = await db.adminToken.findUnique({ where: { tokenHash: hashAdminToken(created.json.adminToken as string) } })
    expect(row?.expiresAt?.toISOString()).toBe(expiresAt)
    const past = await cli(['token', 'create', '--email', email, '--password', 'password-1', '--expires-at', '2020-01-01T00:00:00Z'])
    expect(past).toMatchObject({ code: 1, json: { error: { code: 'validation_failed', message: expect.stringContaining('--expires-at') } } })
  })

  it('reports bad arguments as validation_failed', async () => {
    const short = await cli(['bootstrap', '--email', uniqueEmail(), '--password', 'short', '--team', 'X'])
    expect(short).toMatchObject({ code: 1, json: { error: { code: 'validation_failed' } } })
    expect((await cli(['frobnicate'])).json).toMatchObject({ error: { code: 'validation_failed' } })
  })

  it('rotate-master-key rewraps credentials under the new key', async () => {
    const oldKey = generateMasterKeyBase64()
    const newKey = generateMasterKeyBase64()
    const boot = await cli(['bootstrap', '--email', uniqueEmail('rot'), '--password', 'password-1', '--team', 'Rot'])
    const teamId = boot.json.teamId as string
    const id = newId('provider')
    const credential = seal('sk-rotate-me', buildKeyring(oldKey), providerCredentialAad(teamId, id))
    await db.providerConnection.create({ data: { id, teamId, name: 'rot', type: 'openai', credential, keyHint: 'e-me' } })

    const bedrockId = newId('provider')
    const aws = JSON.stringify({ accessKeyId: 'AKIAROTATE000000ABCD', secretAccessKey: 'rotate-secret' })
    const bedrockCredential = seal(aws, buildKeyring(oldKey), providerCredentialAad(teamId, bedrockId))
    await db.providerConnection.create({
      data: { id: bedrockId, teamId, name: 'rot-br', type: 'bedrock', settings: { region: 'us-east-1' }, credential: bedrockCredential, keyHint: 'ABCD' },
    })

    const rotated = await cli(['rotate-master-key'], { SWITCHYARD_MASTER_KEY: newKey, SWITCHYARD_PREVIOUS_MASTER_KEYS: oldKey })
    expect(rotated.code).toBe(0)
    expect(rotated.json).toEqual({ rewrapped: 2 })
    const row = await db.providerConnection.findUnique({ where: { id } })
    const sealed = SealedSecret.parse(row?.credential)
    // Only the new key from now on: the previous one can be dropped from the environment.
    const current = buildKeyring(newKey)
    expect(sealed.kid).toBe(current.current.kid)
    expect(open(sealed, current, providerCredentialAad(teamId, id))).toBe('sk-rotate-me')

    // The snapshot published by the command carries the rewrapped credentials, and a data plane
    // holding only the new master key opens every one of them.
    const latest = await db.configSnapshot.findFirst({ orderBy: { version: 'desc' } })
    const snapshot = ConfigSnapshot.parse(latest?.document)
    const mine = snapshot.providers.filter((p) => p.teamId === teamId)
    expect(mine).toHaveLength(2)
    const opened = mine.map((p) => open(p.credential, current, providerCredentialAad(p.teamId, p.id)))
    expect(opened.sort()).toEqual([aws, 'sk-rotate-me'].sort())
    expect(mine.find((p) => p.id === bedrockId)?.baseUrl).toBe('https://bedrock-runtime.us-east-1.amazonaws.com')

    // Running it again rewraps nothing.
    expect((await cli(['rotate-master-key'], { SWITCHYARD_MASTER_KEY: newKey })).json).toEqual({ rewrapped: 0 })
  })
})
