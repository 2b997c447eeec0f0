import { newId } from '@switchyard/shared/ids'
import { ConfigSnapshot } from '@switchyard/shared/snapshot'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createMembership } from '../models/team.server.ts'
import { createUser } from '../models/user.server.ts'
import { adminClient, createTestServices, seedTeam, seedToken, type TestServices, uniqueEmail } from '../testing/fixtures.ts'

let services: TestServices
let strict: TestServices
let call: ReturnType<typeof adminClient>
let callStrict: ReturnType<typeof adminClient>

beforeAll(() => {
  services = createTestServices()
  call = adminClient(services)
  // Production's default: no private upstreams at all.
  strict = createTestServices({ allowPrivateUpstreams: '' })
  callStrict = adminClient(strict)
})
afterAll(async () => {
  await services.close()
  await strict.close()
})

const AWS = { accessKeyId: 'AKIACANARY00000WXYZ', secretAccessKey: 'aws-secret-canary-123' }

const EVERY_TYPE = [
  { name: 'oai', type: 'openai', apiKey: 'sk-canary-openai-aaaa', settings: { organization: 'org-1', project: 'proj-1' } },
  { name: 'ant', type: 'anthropic', apiKey: 'sk-ant-canary-bbbb' },
  {
    name: 'az', type: 'azure-openai', apiKey: 'azure-canary-cccc', baseUrl: 'https://acme.openai.azure.com',
    settings: { apiVersion: '2024-10-21', deployments: { 'gpt-4o': 'prod-gpt4o' } },
  },
  { name: 'gem', type: 'google', apiKey: 'AIza-canary-dddd' },
  { name: 'br', type: 'bedrock', credentials: AWS, settings: { region: 'eu-west-1' } },
  { name: 'local', type: 'openai-compatible', apiKey: '', baseUrl: 'http://127.0.0.1:11434/v1' },
]

describe('admin API: every provider type', () => {
  it('stores each type with its own shape, never returns a credential, and publishes them all', async () => {
    const team = await seedTeam(services.db)
    const ids: Record<string, string> = {}
    for (const body of EVERY_TYPE) {
      const res = await call(team.token, 'POST', '/providers', body)
      expect(res.status, body.type).toBe(201)
      expect(Object.keys(res.body ?? {}).sort()).toEqual(['baseUrl', 'createdAt', 'id', 'keyHint', 'name', 'settings', 'type', 'updatedAt'])
      expect(res.text).not.toMatch(/canary/)
      ids[body.type] = res.body?.id as string
    }
    const list = await call(team.token, 'GET', '/providers')
    const byType = Object.fromEntries((list.body?.data as { type: string }[]).map((p) => [p.type, p]))
    expect(byType.bedrock).toMatchObject({ keyHint: 'WXYZ', baseUrl: null, settings: { region: 'eu-west-1' } })
    expect(byType['azure-openai']).toMatchObject({ keyHint: 'cccc', settings: { apiVersion: '2024-10-21', deployments: { 'gpt-4o': 'prod-gpt4o' } } })
    expect(byType['openai-compatible']).toMatchObject({ keyHint: '', baseUrl: 'http://127.0.0.1:11434/v1' })
    expect(list.text).not.toMatch(/canary/)

    const snapshot = ConfigSnapshot.parse(JSON.parse((await services.infra.snapshots.getLatest()) ?? 'null'))
    const mine = snapshot.providers.filter((p) => p.teamId === team.teamId)
    expect(mine.map((p) => p.type).sort()).toEqual(['anthropic', 'azure-openai', 'bedrock', 'google', 'openai', 'openai-compatible'])
    expect(mine.find((p) => p.type === 'bedrock')?.baseUrl).toBe('https://bedrock-runtime.eu-west-1.amazonaws.com')
    expect(JSON.stringify(snapshot)).not.toMatch(/canary/)
  })

  it('takes per-connection upstream timeouts in settings and publishes them; unset ones keep the defaults', async () => {
    const team = await seedTeam(services.db)
    const created = await call(team.token, 'POST', '/providers', {
      name: 'slowpoke', type: 'anthropic', apiKey: 'sk-ant-canary-eeee', settings: { timeouts: { firstByteMs: 300_000, idleMs: 5_000 } },
    })
    expect(created.status, created.text).toBe(201)
    const snapshot = ConfigSnapshot.parse(JSON.parse((await services.infra.snapshots.getLatest()) ?? 'null'))
    const published = snapshot.providers.find((p) => p.teamId === team.teamId && p.name === 'slowpoke')
    expect(published?.timeouts).toEqual({ connectMs: 10_000, firstByteMs: 300_000, idleMs: 5_000, totalMs: 600_000 })

    for (const bad of [{ idleMs: -1 }, { totalMs: 'soon' }, { connectMs: 10, extra: true }]) {
      const res = await call(team.token, 'POST', '/providers', { name: 'bad-timeouts', type: 'openai', apiKey: 'sk-canary-ffff', settings: { timeouts: bad } })
      expect(res.status, JSON.stringify(bad)).toBe(422)
    }
  })

  it('validates each type\'s required fields and settings', async () => {
    const team = await seedTeam(services.db)
    const bad: [Record<string, unknown>, string][] = [
      [{ name: 'a', type: 'azure-openai', apiKey: 'k', settings: { apiVersion: '2024-10-21' } }, 'baseUrl'],
      [{ name: 'a', type: 'azure-openai', apiKey: 'k', baseUrl: 'https://x.openai.azure.com', settings: { apiVersion: 'latest' } }, 'settings.apiVersion'],
      [{ name: 'b', type: 'bedrock', credentials: AWS, settings: {} }, 'settings.region'],
      [{ name: 'b', type: 'bedrock', apiKey: 'k', settings: { region: 'us-east-1' } }, 'credentials'],
      [{ name: 'b', type: 'bedrock', credentials: { accessKeyId: 'AKIA' }, settings: { region: 'us-east-1' } }, 'credentials.accessKeyId'],
      [{ name: 'o', type: 'openai', apiKey: '' }, 'apiKey'],
      [{ name: 'o', type: 'openai', apiKey: 'k', settings: { organisation: 'typo' } }, 'settings'],
      [{ name: 'o', type: 'openai', apiKey: 'k', baseUrl: 'https://user:pw@api.example.com/v1' }, 'baseUrl'],
      [{ name: 'g', type: 'google', apiKey: 'k', baseUrl: 'file:///etc/passwd' }, 'baseUrl'],
    ]
    for (const [body, path] of bad) {
      const res = await call(team.token, 'POST', '/providers', body)
      expect(res.status, JSON.stringify(body)).toBe(422)
      const details = (res.body?.error as { details: { path: string }[] }).details.map((d) => d.path)
      expect(details.some((d) => d.startsWith(path)), `${JSON.stringify(body)} → ${details.join(',')}`).toBe(true)
    }
  })

  it('PATCH replaces key, credentials and settings by the stored type', async () => {
    const team = await seedTeam(services.db)
    const bedrock = await call(team.token, 'POST', '/providers', { name: 'br', type: 'bedrock', credentials: AWS, settings: { region: 'us-east-1' } })
    const id = bedrock.body?.id as string
    const replaced = await call(team.token, 'PATCH', `/providers/${id}`, {
      credentials: { accessKeyId: 'AKIANEWKEY000000QRST', secretAccessKey: 's', sessionToken: 't' },
      settings: { region: 'us-west-2' },
    })
    expect(replaced.status).toBe(200)
    expect(replaced.body).toMatchObject({ keyHint: 'QRST', settings: { region: 'us-west-2' } })
    expect((await call(team.token, 'PATCH', `/providers/${id}`, { apiKey: 'k' })).status).toBe(422)
    expect((await call(team.token, 'PATCH', `/providers/${id}`, { settings: { region: 'mars' } })).status).toBe(422)

    const azure = await call(team.token, 'POST', '/providers', EVERY_TYPE[2])
    const azureId = azure.body?.id as string
    expect((await call(team.token, 'PATCH', `/providers/${azureId}`, { baseUrl: null })).status).toBe(422)
    expect((await call(team.token, 'PATCH', `/providers/${azureId}`, { credentials: AWS })).status).toBe(422)
    expect((await call(team.token, 'PATCH', `/providers/${azureId}`, { settings: { deployments: {} } })).status).toBe(422)
    expect((await call(team.token, 'PATCH', `/providers/${azureId}`, { name: 'br' })).status).toBe(409)
    const renamed = await call(team.token, 'PATCH', `/providers/${azureId}`, { name: 'azure-eu', settings: { apiVersion: '2025-01-01-preview' } })
    expect(renamed.body).toMatchObject({ name: 'azure-eu', settings: { apiVersion: '2025-01-01-preview', deployments: {} } })
  })

  it('refuses literal non-public base URLs unless SWITCHYARD_ALLOW_PRIVATE_UPSTREAMS allows them', async () => {
    const team = await seedTeam(strict.db)
    for (const baseUrl of ['http://169.254.169.254/v1', 'http://127.0.0.1:11434/v1', 'http://[::1]:8000/v1', 'http://10.0.0.5/v1', 'http://2130706433/v1']) {
      const res = await callStrict(team.token, 'POST', '/providers', { name: 'local', type: 'openai-compatible', apiKey: 'k', baseUrl })
      expect(res.status, baseUrl).toBe(422)
      expect(res.text).toContain('SWITCHYARD_ALLOW_PRIVATE_UPSTREAMS')
    }
    const ok = await callStrict(team.token, 'POST', '/providers', { name: 'public', type: 'openai', apiKey: 'k', baseUrl: 'https://api.example.com/v1' })
    expect(ok.status).toBe(201)
    expect((await callStrict(team.token, 'PATCH', `/providers/${ok.body?.id as string}`, { baseUrl: 'http://192.168.1.10/v1' })).status).toBe(422)
    // The default outside production allows loopback.
    const dev = await seedTeam(services.db)
    expect((await call(dev.token, 'POST', '/providers', { name: 'local', type: 'openai-compatible', apiKey: '', baseUrl: 'http://127.0.0.1:11434/v1' })).status).toBe(201)
    expect((await call(dev.token, 'POST', '/providers', { name: 'meta', type: 'openai-compatible', apiKey: '', baseUrl: 'http://169.254.169.254/v1' })).status).toBe(422)
  })

  it('needs providers.write: members and viewers read but cannot write or test', async () => {
    const team = await seedTeam(services.db)
    const created = await call(team.token, 'POST', '/providers', { name: 'p', type: 'openai', apiKey: 'sk-x' })
    const id = created.body?.id as string
    for (const role of ['member', 'viewer'] as const) {
      const user = await createUser(services.db, { id: newId('user'), email: uniqueEmail(role), passwordHash: 'x' })
      await createMembership(services.db, { id: newId('membership'), teamId: team.teamId, userId: user.id, role })
      const { token } = await seedToken(services.db, { teamId: team.teamId, userId: user.id, role })
      expect((await call(token, 'GET', `/providers/${id}`)).status).toBe(200)
      expect((await call(token, 'POST', '/providers', { name: 'q', type: 'openai', apiKey: 'sk-x' })).status).toBe(403)
      expect((await call(token, 'PATCH', `/providers/${id}`, { name: 'r' })).status).toBe(403)
      expect((await call(token, 'POST', `/providers/${id}/test`)).status).toBe(403)
      expect((await call(token, 'DELETE', `/providers/${id}`)).status).toBe(403)
    }
  })
})
