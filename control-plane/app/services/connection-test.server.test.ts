import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { open, providerCredentialAad, SealedSecret } from '@switchyard/shared/crypto'
import { ConfigSnapshot } from '@switchyard/shared/snapshot'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type FakeProviders, startFakeProviders } from '../../../test/fake-providers/server.ts'
import { adminClient, createTestServices, seedTeam, type TestServices } from '../testing/fixtures.ts'
import { createOutbound } from './outbound.server.ts'

// "Test connection" over real HTTP: the fake providers (loopback, allowed by default outside
// production) and small recording servers for redirects and the other provider types.

interface Recorder {
  url: string
  hits: { method: string; path: string; headers: IncomingHttpHeaders }[]
  close(): Promise<void>
}

type Reply = (path: string) => { status: number; headers?: Record<string, string> } | null

async function startRecorder(reply: Reply = () => ({ status: 200 })): Promise<Recorder> {
  const hits: Recorder['hits'] = []
  const server: Server = createServer((req, res) => {
    hits.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers })
    const answer = reply(req.url ?? '/')
    if (!answer) return // never answers: a hanging upstream
    res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers }).end('{"secret":"upstream-body"}')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()) }),
  }
}

let services: TestServices
let strict: TestServices
let call: ReturnType<typeof adminClient>
let callStrict: ReturnType<typeof adminClient>
let fake: FakeProviders
const recorders: Recorder[] = []
const recorder = async (reply?: Reply) => {
  const r = await startRecorder(reply)
  recorders.push(r)
  return r
}

beforeAll(async () => {
  services = createTestServices()
  call = adminClient(services)
  strict = createTestServices({ allowPrivateUpstreams: '' })
  callStrict = adminClient(strict)
  fake = await startFakeProviders()
})
afterAll(async () => {
  await Promise.all(recorders.map((r) => r.close()))
  await fake.close()
  await services.close()
  await strict.close()
})

const KEY = 'sk-canary-test-connection-7777'

async function createAndTest(token: string, body: Record<string, unknown>, client = call) {
  const created = await client(token, 'POST', '/providers', body)
  expect(created.status, created.text).toBe(201)
  const result = await client(token, 'POST', `/providers/${created.body?.id as string}/test`)
  expect(result.status).toBe(200)
  expect(result.text).not.toContain('canary')
  expect(result.text).not.toContain('upstream-body')
  return { id: created.body?.id as string, result: result.body as { ok: boolean; status?: number; latencyMs: number; message: string } }
}

describe('test connection against the fake providers', () => {
  it('openai: GET {baseUrl}/models with the stored key as Bearer', async () => {
    const team = await seedTeam(services.db)
    const { result } = await createAndTest(team.token, { name: 'oai', type: 'openai', apiKey: KEY, baseUrl: fake.openaiBaseUrl })
    expect(result).toEqual({ ok: true, status: 200, latencyMs: expect.any(Number), message: expect.stringContaining('accepted') })
    const hit = fake.requests.findLast((r) => r.path === '/openai/v1/models')
    expect(hit?.method).toBe('GET')
    expect(hit?.headers.authorization).toBe(`Bearer ${KEY}`)
  })

  it('anthropic: GET {baseUrl}/v1/models with x-api-key and anthropic-version', async () => {
    const team = await seedTeam(services.db)
    const { result } = await createAndTest(team.token, { name: 'ant', type: 'anthropic', apiKey: KEY, baseUrl: fake.anthropicBaseUrl })
    expect(result.ok).toBe(true)
    const hit = fake.requests.findLast((r) => r.path.startsWith('/anthropic/v1/models'))
    expect(hit?.headers['x-api-key']).toBe(KEY)
    expect(hit?.headers['anthropic-version']).toBe('2023-06-01')
  })

  it('reports a rejected key as ok=false with the status, not an error', async () => {
    const team = await seedTeam(services.db)
    const { result } = await createAndTest(team.token, { name: 'local', type: 'openai-compatible', apiKey: '', baseUrl: fake.openaiBaseUrl })
    expect(result).toMatchObject({ ok: false, status: 401, message: expect.stringContaining('rejected') })
  })
})

describe('test connection: request shape of the other types', () => {
  it('azure-openai, google and bedrock each authenticate their own way, keys never in URLs', async () => {
    const team = await seedTeam(services.db)
    const server = await recorder()
    await createAndTest(team.token, {
      name: 'az', type: 'azure-openai', apiKey: KEY, baseUrl: server.url, settings: { apiVersion: '2024-10-21', deployments: {} },
    })
    expect(server.hits[0]).toMatchObject({ method: 'GET', path: '/openai/models?api-version=2024-10-21' })
    expect(server.hits[0]?.headers['api-key']).toBe(KEY)

    await createAndTest(team.token, { name: 'gem', type: 'google', apiKey: KEY, baseUrl: server.url })
    expect(server.hits[1]?.path).toBe('/v1beta/models?pageSize=1')
    expect(server.hits[1]?.headers['x-goog-api-key']).toBe(KEY)

    const credentials = { accessKeyId: 'AKIACANARY00000WXYZ', secretAccessKey: 'canary-secret', sessionToken: 'canary-session' }
    const { result } = await createAndTest(team.token, { name: 'br', type: 'bedrock', credentials, baseUrl: server.url, settings: { region: 'us-east-1' } })
    expect(result.ok).toBe(true)
    const signed = server.hits[2]
    expect(signed?.path).toBe('/foundation-models')
    expect(signed?.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIACANARY00000WXYZ\/\d{8}\/us-east-1\/bedrock\/aws4_request, SignedHeaders=host;x-amz-date;x-amz-security-token, Signature=[0-9a-f]{64}$/,
    )
    expect(signed?.headers['x-amz-security-token']).toBe('canary-session')
    for (const hit of server.hits) expect(hit.path).not.toContain('canary')
  })
})

describe('test connection: SSRF guard', () => {
  it('refuses a redirect to a metadata address, and sends credentials only to the original origin', async () => {
    const team = await seedTeam(services.db)
    const metadata = await recorder(() => ({ status: 302, headers: { location: 'http://169.254.169.254/latest/meta-data/' } }))
    const { result } = await createAndTest(team.token, { name: 'evil', type: 'openai', apiKey: KEY, baseUrl: `${metadata.url}/v1` })
    expect(result).toMatchObject({ ok: false, message: expect.stringContaining('non-public') })
    expect(result.status).toBeUndefined()
    expect(metadata.hits).toHaveLength(1)

    const target = await recorder()
    const bouncer = await recorder(() => ({ status: 307, headers: { location: `${target.url}/elsewhere` } }))
    const bounced = await createAndTest(team.token, { name: 'bounce', type: 'openai', apiKey: KEY, baseUrl: `${bouncer.url}/v1` })
    expect(bounced.result.ok).toBe(true)
    expect(bouncer.hits[0]?.headers.authorization).toBe(`Bearer ${KEY}`)
    expect(target.hits[0]?.path).toBe('/elsewhere')
    expect(target.hits[0]?.headers.authorization).toBeUndefined()

    let n = 0
    const loop = await recorder(() => ({ status: 302, headers: { location: `/hop-${n++}` } }))
    const looped = await createAndTest(team.token, { name: 'loop', type: 'openai', apiKey: KEY, baseUrl: `${loop.url}/v1` })
    expect(looped.result).toMatchObject({ ok: false, message: expect.stringContaining('more than 3') })
    expect(loop.hits).toHaveLength(4)

    const scheme = await recorder(() => ({ status: 302, headers: { location: 'file:///etc/passwd' } }))
    expect((await createAndTest(team.token, { name: 'scheme', type: 'openai', apiKey: KEY, baseUrl: `${scheme.url}/v1` })).result.ok).toBe(false)
  })

  it('checks the resolved address at connect time: a name resolving to loopback is refused in production mode', async () => {
    const team = await seedTeam(strict.db)
    const server = await recorder()
    const port = new URL(server.url).port
    const { result } = await createAndTest(team.token, { name: 'rebind', type: 'openai', apiKey: KEY, baseUrl: `http://localhost:${port}/v1` }, callStrict)
    expect(result).toMatchObject({ ok: false, message: expect.stringContaining('SWITCHYARD_ALLOW_PRIVATE_UPSTREAMS') })
    expect(server.hits).toHaveLength(0)
  })

  it('gives up after the timeout', async () => {
    const hang = await recorder(() => null)
    const outbound = createOutbound({ allowPrivateUpstreams: 'loopback' })
    await expect(outbound.request({ method: 'GET', url: new URL(`${hang.url}/models`), timeoutMs: 200 })).rejects.toMatchObject({ code: 'timeout' })
  })
})

describe('vault tamper', () => {
  it('a credential copied to another row or another team fails to open: test says so, the snapshot still publishes', async () => {
    const team = await seedTeam(services.db)
    const other = await seedTeam(services.db)
    const a = await call(team.token, 'POST', '/providers', { name: 'a', type: 'openai', apiKey: KEY, baseUrl: fake.openaiBaseUrl })
    const b = await call(team.token, 'POST', '/providers', { name: 'b', type: 'openai', apiKey: 'sk-other', baseUrl: fake.openaiBaseUrl })
    const c = await call(other.token, 'POST', '/providers', { name: 'c', type: 'openai', apiKey: 'sk-other', baseUrl: fake.openaiBaseUrl })
    const stolen = (await services.db.providerConnection.findUnique({ where: { id: a.body?.id as string } }))!.credential!
    for (const [token, target] of [[team.token, b], [other.token, c]] as const) {
      const id = target.body?.id as string
      await services.db.providerConnection.update({ where: { id }, data: { credential: stolen } })
      const res = await call(token, 'POST', `/providers/${id}/test`)
      expect(res.status).toBe(200)
      expect(res.body).toMatchObject({ ok: false, message: expect.stringContaining('could not be opened') })
      expect(res.text).not.toContain('canary')
    }
    // What the data plane does at snapshot load: open with the row's own AAD. It fails, so the
    // data plane leaves those providers out; the original still opens.
    const version = await services.publisher.publish()
    const snapshot = ConfigSnapshot.parse(JSON.parse((await services.infra.snapshots.getLatest()) ?? 'null'))
    expect(snapshot.version).toBe(version)
    const opened = (id: string) => {
      const p = snapshot.providers.find((x) => x.id === id)!
      return open(SealedSecret.parse(p.credential), services.keyring, providerCredentialAad(p.teamId, p.id))
    }
    expect(opened(a.body?.id as string)).toBe(KEY)
    expect(() => opened(b.body?.id as string)).toThrow(/failed authentication/)
    expect(() => opened(c.body?.id as string)).toThrow(/failed authentication/)
  })
})
