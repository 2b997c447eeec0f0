import { randomBytes } from 'node:crypto'
import { mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildKeyring, generateMasterKeyBase64 } from '@switchyard/shared/crypto'
import { createMemoryInfra, createRedisInfra, type Infra } from '@switchyard/shared/infra'
import { afterEach, describe, expect, it } from 'vitest'
import { testRedisPrefix, testRedisUrl } from '../../../test/support/services.ts'
import { buildDataPlane } from '../index.ts'
import { buildTestSnapshot, chat, type Gateway, startGateway, testEnv } from '../testing/gateway-fixture.ts'
import { lastGoodPath } from './last-good.ts'

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function started(options: Parameters<typeof startGateway>[0] = {}): Promise<Gateway> {
  const gateway = await startGateway(options)
  cleanups.push(() => gateway.close())
  return gateway
}

const messages = [{ role: 'user', content: 'hi' }]

async function readyz(gateway: Gateway) {
  const res = await gateway.dataPlane.app.inject({ method: 'GET', url: '/readyz' })
  return { status: res.statusCode, body: res.json() as unknown }
}

/** An infra whose Redis is gone: every call fails. */
function unreachableInfra(): Infra {
  const down = () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:6379'))
  return {
    kind: 'redis',
    snapshots: { publish: down, getLatest: down, latestVersion: down, get: down, subscribe: down },
    logs: { append: down, read: down, ack: down },
    ping: async () => false,
    close: async () => {},
  }
}

describe('snapshot lifecycle', () => {
  it('is not ready before any snapshot, and ready with its version after one is published', async () => {
    const gateway = await started({ publish: false })
    expect((await gateway.dataPlane.app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' })
    expect(await readyz(gateway)).toEqual({ status: 503, body: { status: 'not_ready' } })
    expect((await chat(gateway, { model: 'fake/m', messages })).status).toBe(503)
    await gateway.publish(gateway.defaultParts(1))
    expect(await readyz(gateway)).toEqual({ status: 200, body: { status: 'ready', snapshotVersion: 1 } })
  })

  it('rejects a snapshot that fails validation or has an unknown schema version, keeping the previous one', async () => {
    const gateway = await started()
    const invalid = { ...buildTestSnapshot(gateway.defaultParts(2), gateway.keyring), providers: [{ name: 'Bad Name' }] }
    await gateway.infra.snapshots.publish(2, JSON.stringify(invalid))
    const future = { ...buildTestSnapshot(gateway.defaultParts(3), gateway.keyring), schemaVersion: 2 }
    await gateway.infra.snapshots.publish(3, JSON.stringify(future))
    await gateway.infra.snapshots.publish(4, '{not json')
    await new Promise((r) => setTimeout(r, 300))
    expect(await readyz(gateway)).toEqual({ status: 200, body: { status: 'ready', snapshotVersion: 1 } })
    expect((await chat(gateway, { model: 'fake/m', messages })).status).toBe(200)

    await gateway.publish(gateway.defaultParts(5))
    expect(await readyz(gateway)).toEqual({ status: 200, body: { status: 'ready', snapshotVersion: 5 } })
  })

  it('polls the version only: the document is fetched again only when a newer one is there', async () => {
    const infra = createMemoryInfra()
    const fetched: string[] = []
    const snapshots = infra.snapshots
    const counting: Infra = {
      ...infra,
      snapshots: {
        publish: (version, json) => snapshots.publish(version, json),
        latestVersion: () => snapshots.latestVersion(),
        getLatest: () => (fetched.push('latest'), snapshots.getLatest()),
        get: (version) => (fetched.push(`v${version}`), snapshots.get(version)),
        // No announcements: only the poller can see new versions.
        subscribe: async () => async () => {},
      },
    }
    const gateway = await started({ infra: counting })
    await new Promise((r) => setTimeout(r, 350))
    const idle = fetched.length
    await new Promise((r) => setTimeout(r, 350))
    expect(fetched.length).toBe(idle)
    await snapshots.publish(2, JSON.stringify(buildTestSnapshot(gateway.defaultParts(2), gateway.keyring)))
    await expect.poll(async () => (await readyz(gateway)).body).toEqual({ status: 'ready', snapshotVersion: 2 })
    expect(fetched.length).toBe(idle + 1)
  })

  it('leaves out a provider whose credential does not open and serves the rest', async () => {
    const gateway = await started()
    const foreign = buildKeyring(generateMasterKeyBase64())
    const snapshot = buildTestSnapshot(gateway.defaultParts(2), gateway.keyring)
    const other = buildTestSnapshot({ version: 2, providers: [{ id: 'prov_x', name: 'sealed-elsewhere', baseUrl: gateway.fake.openaiBaseUrl }] }, foreign)
    snapshot.providers.push(...other.providers)
    await gateway.infra.snapshots.publish(2, JSON.stringify(snapshot))
    await expect.poll(async () => (await readyz(gateway)).body).toEqual({ status: 'ready', snapshotVersion: 2 })
    expect((await chat(gateway, { model: 'sealed-elsewhere/m', messages })).status).toBe(404)
    expect((await chat(gateway, { model: 'fake/m', messages })).status).toBe(200)
  })

  it.each([
    ['is unreachable', unreachableInfra],
    ['has nothing', createMemoryInfra],
  ])('serves from the last-good file when Redis %s at boot', async (_label, infraFactory) => {
    const dataDir = await mkdtemp(join(tmpdir(), 'sy-dp-lastgood-'))
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }))
    const keyring = buildKeyring(generateMasterKeyBase64())
    const first = await startGateway({ dataDir, keyring })
    const key = first.key
    await first.close()
    expect((await stat(lastGoodPath(dataDir))).mode & 0o777).toBe(0o600)

    const fresh = await buildDataPlane({ env: testEnv(), infra: infraFactory(), keyring, dataDir, pollIntervalMs: 50 })
    cleanups.push(() => fresh.close())
    const ready = await fresh.app.inject({ method: 'GET', url: '/readyz' })
    expect(ready.json()).toEqual({ status: 'ready', snapshotVersion: 1 })
    const res = await fresh.app.inject({
      method: 'POST',
      url: '/v1/chat/completions',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      payload: { model: 'nope/m', messages },
    })
    // Authenticated against the last-good snapshot (its provider's fake is gone, so ask for a
    // missing connection): 404, not 401/503.
    expect(res.statusCode).toBe(404)
    await new Promise((r) => setTimeout(r, 150))
    expect((await fresh.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200)
  })

  it('is not ready when neither Redis nor a last-good file has a snapshot', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'sy-dp-empty-'))
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }))
    const fresh = await buildDataPlane({ env: testEnv(), infra: unreachableInfra(), keyring: buildKeyring(generateMasterKeyBase64()), dataDir })
    cleanups.push(() => fresh.close())
    expect((await fresh.app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(503)
  })
})

describe('snapshot delivery over Redis', () => {
  it('picks up a published snapshot through pub/sub within a second', async () => {
    const prefix = testRedisPrefix(`dp-${randomBytes(4).toString('hex')}`)
    const infra = createRedisInfra({ url: testRedisUrl(), prefix })
    const publisher = createRedisInfra({ url: testRedisUrl(), prefix })
    cleanups.push(async () => {
      await infra.close()
      await publisher.close()
    })
    const gateway = await started({ infra })
    // Polling is slowed right down so only pub/sub can deliver in time.
    await gateway.dataPlane.close()
    const dataPlane = await buildDataPlane({ env: testEnv(), infra, keyring: gateway.keyring, dataDir: gateway.dataDir, pollIntervalMs: 60_000 })
    cleanups.push(() => dataPlane.close())
    expect(dataPlane.app.snapshots.runtime?.version).toBe(1)

    const publishedAt = Date.now()
    await publisher.snapshots.publish(2, JSON.stringify(buildTestSnapshot(gateway.defaultParts(2), gateway.keyring)))
    await expect.poll(() => dataPlane.app.snapshots.runtime?.version, { timeout: 1_000, interval: 10 }).toBe(2)
    expect(Date.now() - publishedAt).toBeLessThan(1_000)
  })
})

describe('embedded mode', () => {
  it('works with the in-memory infra handed over by the control plane', async () => {
    const gateway = await started({ infra: createMemoryInfra() })
    expect((await chat(gateway, { model: 'fake/gpt-4o-mini', messages })).status).toBe(200)
  })
})
