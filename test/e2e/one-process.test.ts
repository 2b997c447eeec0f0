import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startFakeProviders } from '../fake-providers/server.ts'
import { waitForReady } from '../support/admin-api.ts'
import { createTestDatabase, dumpDatabase } from '../support/databases.ts'
import { freePort } from '../support/ports.ts'
import { dataPlaneChild, isAlive, untilGone } from '../support/process-tree.ts'
import { type RunningProcess, startTs } from '../support/processes.ts'
import {
  bootstrapAndConnect,
  completeStreamedAndNot,
  expectLoggedCompletions,
  type FakeProviders,
  type SkeletonContext,
  untilKeyIsLive,
  waitForLogs,
} from './walking-skeleton.ts'

// The embedded default (REDIS_URL unset) against the machine's real PostgreSQL: the control
// plane owns the in-memory bus and log stream and supervises the data plane, its bundle in its
// own process, which reaches that infra over its IPC channel (issue #14).
describe('embedded default: a supervised data-plane process over IPC (REDIS_URL unset)', () => {
  let fake: FakeProviders
  let switchyard: RunningProcess
  let env: Record<string, string>
  let controlUrl: string
  let dataUrl: string
  let dataDir: string
  let ctx: SkeletonContext

  const start = async () => {
    switchyard = startTs('control-plane/server/main.ts', ['embedded'], env)
    await switchyard.waitFor(/data plane listening on http/)
    await waitForReady(controlUrl)
    return waitForReady(dataUrl)
  }

  const complete = async () => {
    const res = await fetch(`${dataUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ctx.virtualKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'fake-openai/gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] }),
    })
    await res.arrayBuffer()
    return { status: res.status, requestId: res.headers.get('x-request-id') }
  }

  beforeAll(async () => {
    fake = await startFakeProviders()
    dataDir = mkdtempSync(join(tmpdir(), 'sy-onep-'))
    const [cp, dp] = [await freePort(), await freePort()]
    env = {
      DATABASE_URL: await createTestDatabase('onep'),
      CONTROL_PLANE_PORT: String(cp),
      DATA_PLANE_PORT: String(dp),
      SWITCHYARD_DATA_DIR: dataDir,
    }
    controlUrl = `http://127.0.0.1:${cp}`
    dataUrl = `http://127.0.0.1:${dp}`
    expect(await start()).toMatchObject({ status: 'ready', snapshotVersion: expect.any(Number) })
  })

  afterAll(async () => {
    await switchyard?.stop()
    await fake?.close()
    rmSync(dataDir, { recursive: true, force: true })
  })

  it('is ready before anyone bootstraps, with health on both planes', async () => {
    for (const url of [controlUrl, dataUrl]) {
      const res = await fetch(`${url}/healthz`)
      expect(res.status).toBe(200)
      expect(await res.json()).toEqual({ status: 'ok' })
    }
  })

  it('runs the data plane as its own process, from its bundle with plain node', () => {
    const child = dataPlaneChild(switchyard.child.pid!)
    expect(child, 'no data-plane/dist/server.mjs process under npm start').not.toBeNull()
    expect(child!.pid).not.toBe(switchyard.child.pid)
    expect(child!.cmdline).not.toContain('tsx')
  })

  it('serves a completion to the openai SDK, streamed and not, and logs it within 2 s', async () => {
    ctx = await bootstrapAndConnect({ controlUrl, dataUrl, cliEnv: env, fake, email: `onep-${Date.now()}@example.com` })
    await completeStreamedAndNot(ctx, fake)
    const { items, ms } = await waitForLogs(ctx, 3)
    process.stdout.write(`[figure] embedded default: requests visible in GET /api/v1/logs ${ms} ms after the last call (limit 2000)\n`)
    expect(ms).toBeLessThan(2000)
    expectLoggedCompletions(items, ctx.virtualKeyId)
  })

  it('answers an unknown key with 401 and an unknown connection with 404, as OpenAI errors', async () => {
    const bad = await fetch(`${dataUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: 'Bearer sy-not-a-key', 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'fake-openai/gpt-4o-mini', messages: [] }),
    })
    expect(bad.status).toBe(401)
    expect(await bad.json()).toMatchObject({ error: { code: 'invalid_api_key', type: expect.any(String), message: expect.any(String) } })

    const missing = await ctx.client.chat.completions
      .create({ model: 'nope/gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] })
      .then(() => null, (err: { status?: number; code?: string }) => err)
    expect(missing?.status).toBe(404)
    expect(missing?.code).toBe('model_not_found')
  })

  it('restarts a data-plane process killed with SIGKILL: serving again within 5 s, the console unaffected', async () => {
    const before = dataPlaneChild(switchyard.child.pid!)
    expect(before).not.toBeNull()
    process.kill(before!.pid, 'SIGKILL')
    const killedAt = Date.now()
    let served = false
    while (Date.now() - killedAt < 5_000) {
      const res = await complete().catch(() => null)
      if (res?.status === 200) {
        served = true
        break
      }
      await new Promise((r) => setTimeout(r, 50))
    }
    const ms = Date.now() - killedAt
    process.stdout.write(`[figure] embedded default: data plane serving again ${ms} ms after SIGKILL (limit 5000)\n`)
    expect(served, switchyard.output().slice(-3000)).toBe(true)
    const after = dataPlaneChild(switchyard.child.pid!)
    expect(after?.pid).not.toBe(before!.pid)
    expect(switchyard.output()).toMatch(/data plane: process exited \(SIGKILL\); restarting in/)
    expect(switchyard.output()).toMatch(/data plane: restarted \(pid \d+\), listening on/)
    // The control plane kept serving throughout: ready, its API answering.
    expect(await waitForReady(controlUrl, 1_000)).toMatchObject({ status: 'ready' })
    expect((await ctx.admin.get('/logs?limit=1')).status).toBe(200)
    // And the restarted child is subscribed: a new key is live within a second.
    const created = await ctx.admin.post('/virtual-keys', { name: 'after restart' })
    expect(created.status).toBe(201)
    await untilKeyIsLive(dataUrl, created.json?.key as string, 1_000)
  })

  it('loses no request log on a clean stop: N requests, Ctrl-C at once, restart, N rows', async () => {
    const n = 200
    const results = await Promise.all(Array.from({ length: n }, () => complete()))
    expect(results.every((r) => r.status === 200)).toBe(true)
    expect(await switchyard.stop()).toBe(0)
    expect(switchyard.output()).toMatch(/stopped cleanly/)
    await start()
    const ids = new Set(results.map((r) => r.requestId))
    const res = await ctx.admin.get('/logs?limit=200')
    const logged = ((res.json?.data ?? []) as { requestId: string }[]).filter((i) => ids.has(i.requestId))
    expect(logged).toHaveLength(n)
  })

  it('revoking the key makes calls 401 within 1 s', async () => {
    expect((await ctx.admin.delete(`/virtual-keys/${ctx.virtualKeyId}`)).status).toBe(204)
    const revokedAt = Date.now()
    let status = 0
    while (Date.now() - revokedAt < 1_000) {
      status = (await complete()).status
      if (status === 401) break
    }
    process.stdout.write(`[figure] embedded default: revocation effective ${Date.now() - revokedAt} ms after DELETE (limit 1000)\n`)
    expect(status).toBe(401)
  })

  it('keeps no plaintext provider key or virtual key in Postgres or its output', async () => {
    const dump = await dumpDatabase(env.DATABASE_URL!)
    expect(dump).toContain('fake-openai')
    expect(dump).not.toContain(ctx.providerKey)
    expect(dump).not.toContain(ctx.virtualKey)
    expect(switchyard.output()).not.toContain(ctx.providerKey)
    expect(switchyard.output()).not.toContain(ctx.virtualKey)
  })

  it('leaves no orphan when the control plane dies hard: the data plane exits with its IPC channel', async () => {
    const child = dataPlaneChild(switchyard.child.pid!)
    expect(child).not.toBeNull()
    await switchyard.kill()
    expect(await untilGone(child!.pid, 10_000)).toBe(true)
    await expect(fetch(`${dataUrl}/healthz`)).rejects.toThrow()
    expect(isAlive(child!.pid)).toBe(false)
    // Back up, for a last look at Ctrl-C.
    await start()
  })

  it('stops cleanly on Ctrl-C, the data-plane process with it', async () => {
    const child = dataPlaneChild(switchyard.child.pid!)
    expect(await switchyard.stop()).toBe(0)
    expect(child && isAlive(child.pid)).toBe(false)
    await expect(fetch(`${dataUrl}/healthz`)).rejects.toThrow()
    await expect(fetch(`${controlUrl}/healthz`)).rejects.toThrow()
  })
})
