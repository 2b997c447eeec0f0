import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startFakeProviders } from '../fake-providers/server.ts'
import { adminApi, waitForReady } from '../support/admin-api.ts'
import { createTestDatabase, dumpDatabase } from '../support/databases.ts'
import { freePort } from '../support/ports.ts'
import { type RunningProcess, startDataPlaneBundle, startTs } from '../support/processes.ts'
import { dumpRedis } from '../support/redis-dump.ts'
import { type PrivateRedis, privateRedis } from '../support/redis-server.ts'
import {
  bootstrapAndConnect,
  completeStreamedAndNot,
  expectLoggedCompletions,
  type FakeProviders,
  type SkeletonContext,
  untilKeyIsLive,
  waitForLogs,
} from './walking-skeleton.ts'

// Foundation issue, "done when": the scale-out shape — control plane and data plane as separate
// processes sharing Redis and the real PostgreSQL. Redis is a private redis-server so the test
// can kill it and prove the data plane restarts and serves from its last snapshot on disk.
describe('separate processes sharing Redis', () => {
  let fake: FakeProviders
  let redis: PrivateRedis
  let controlPlane: RunningProcess
  let dataPlane: RunningProcess
  let cpEnv: Record<string, string>
  let dpEnv: Record<string, string>
  let controlUrl: string
  let dataUrl: string
  let dataDir: string
  let ctx: SkeletonContext
  const prefix = `sy-e2e-${randomBytes(3).toString('hex')}:`

  beforeAll(async () => {
    fake = await startFakeProviders()
    redis = await privateRedis()
    await redis.start()
    dataDir = mkdtempSync(join(tmpdir(), 'sy-redis-mode-'))
    const [cp, dp] = [await freePort(), await freePort()]
    const common = {
      DATABASE_URL: await createTestDatabase('redis_mode'),
      REDIS_URL: redis.url,
      SWITCHYARD_REDIS_PREFIX: prefix,
      SWITCHYARD_MASTER_KEY: randomBytes(32).toString('base64'),
    }
    cpEnv = { ...common, CONTROL_PLANE_PORT: String(cp), SWITCHYARD_DATA_DIR: join(dataDir, 'cp') }
    dpEnv = { ...common, DATA_PLANE_PORT: String(dp), SWITCHYARD_DATA_DIR: join(dataDir, 'dp') }
    controlUrl = `http://127.0.0.1:${cp}`
    dataUrl = `http://127.0.0.1:${dp}`
    controlPlane = startTs('control-plane/server/main.ts', ['control-plane'], cpEnv)
    await waitForReady(controlUrl)
    dataPlane = await startDataPlaneBundle(dpEnv)
    expect(await waitForReady(dataUrl)).toMatchObject({ status: 'ready', snapshotVersion: expect.any(Number) })
  })

  afterAll(async () => {
    await dataPlane?.stop()
    await controlPlane?.stop()
    await redis?.stop()
    await fake?.close()
    rmSync(dataDir, { recursive: true, force: true })
  })

  it('serves a completion to the openai SDK, streamed and not, and logs it within 2 s', async () => {
    ctx = await bootstrapAndConnect({ controlUrl, dataUrl, cliEnv: cpEnv, fake, email: `redis-${Date.now()}@example.com` })
    await completeStreamedAndNot(ctx, fake)
    const { items, ms } = await waitForLogs(ctx, 3)
    process.stdout.write(`[figure] redis mode: requests visible in GET /api/v1/logs ${ms} ms after the last call (limit 2000)\n`)
    expect(ms).toBeLessThan(2000)
    expectLoggedCompletions(items, ctx.virtualKeyId)
  })

  it('keeps no plaintext provider key or virtual key in Postgres, Redis, logs or API responses', async () => {
    const listed = await ctx.admin.get('/providers')
    const keys = await ctx.admin.get('/virtual-keys')
    const logs = await ctx.admin.get('/logs')
    const places = {
      postgres: await dumpDatabase(cpEnv.DATABASE_URL!),
      redis: await dumpRedis(redis.url, prefix),
      'control-plane output': controlPlane.output(),
      'data-plane output': dataPlane.output(),
      'API responses': listed.text + keys.text + logs.text,
    }
    expect(places.redis).toContain('snapshot')
    expect(places.postgres).toContain('fake-openai')
    for (const [place, text] of Object.entries(places)) {
      expect(text.includes(ctx.providerKey), `provider key found in ${place}`).toBe(false)
      expect(text.includes(ctx.virtualKey), `virtual key found in ${place}`).toBe(false)
    }
  })

  it('revoking the key makes the next call 401 within 1 s', async () => {
    const started = Date.now()
    expect((await ctx.admin.delete(`/virtual-keys/${ctx.virtualKeyId}`)).status).toBe(204)
    let status = 0
    while (Date.now() - started < 3000) {
      const res = await fetch(`${dataUrl}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ctx.virtualKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'fake-openai/gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] }),
      })
      await res.arrayBuffer()
      status = res.status
      if (status === 401) break
      await new Promise((r) => setTimeout(r, 20))
    }
    const elapsed = Date.now() - started
    process.stdout.write(`[figure] redis mode: revoked key answered 401 ${elapsed} ms after DELETE was sent (limit 1000)\n`)
    expect(status).toBe(401)
    expect(elapsed).toBeLessThan(1000)
  })

  it('a data plane restarted while Redis is down serves from its last snapshot', async () => {
    const admin = adminApi(controlUrl, ctx.adminToken)
    const second = await admin.post('/virtual-keys', { name: 'survives redis outage' })
    expect(second.status).toBe(201)
    const key = second.json?.key as string
    await untilKeyIsLive(dataUrl, key)
    const { snapshotVersion } = await waitForReady(dataUrl)

    expect(await dataPlane.stop()).toBe(0)
    await redis.stop()
    dataPlane = await startDataPlaneBundle(dpEnv)
    expect(await waitForReady(dataUrl, 20_000)).toMatchObject({ status: 'ready', snapshotVersion })

    const ok = await fetch(`${dataUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'fake-openai/gpt-4o-mini', messages: [{ role: 'user', content: 'still here' }] }),
    })
    expect(ok.status).toBe(200)
    expect(JSON.stringify(await ok.json())).toContain('still here')

    const revoked = await fetch(`${dataUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ctx.virtualKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'fake-openai/gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] }),
    })
    expect(revoked.status).toBe(401)
  })
})
