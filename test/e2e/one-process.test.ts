import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startFakeProviders } from '../fake-providers/server.ts'
import { waitForReady } from '../support/admin-api.ts'
import { createTestDatabase, dumpDatabase } from '../support/databases.ts'
import { freePort } from '../support/ports.ts'
import { type RunningProcess, startTs } from '../support/processes.ts'
import {
  bootstrapAndConnect,
  completeStreamedAndNot,
  expectLoggedCompletions,
  type FakeProviders,
  type SkeletonContext,
  waitForLogs,
} from './walking-skeleton.ts'

// Foundation issue, "done when": the embedded default's one-process mode (REDIS_URL unset,
// in-memory bus and log stream) against the machine's real PostgreSQL.
describe('one process, in-memory bus (REDIS_URL unset)', () => {
  let fake: FakeProviders
  let switchyard: RunningProcess
  let env: Record<string, string>
  let controlUrl: string
  let dataUrl: string
  let dataDir: string
  let ctx: SkeletonContext

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
    switchyard = startTs('control-plane/server/main.ts', ['embedded'], env)
    await switchyard.waitFor(/data plane listening/)
    await waitForReady(controlUrl)
    expect(await waitForReady(dataUrl)).toMatchObject({ status: 'ready', snapshotVersion: expect.any(Number) })
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

  it('serves a completion to the openai SDK, streamed and not, and logs it within 2 s', async () => {
    ctx = await bootstrapAndConnect({ controlUrl, dataUrl, cliEnv: env, fake, email: `onep-${Date.now()}@example.com` })
    await completeStreamedAndNot(ctx, fake)
    const { items, ms } = await waitForLogs(ctx, 3)
    process.stdout.write(`[figure] one process: requests visible in GET /api/v1/logs ${ms} ms after the last call (limit 2000)\n`)
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

  it('revoking the key makes the next call 401', async () => {
    expect((await ctx.admin.delete(`/virtual-keys/${ctx.virtualKeyId}`)).status).toBe(204)
    const err = await ctx.client.chat.completions
      .create({ model: 'fake-openai/gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] })
      .then(() => null, (e: { status?: number }) => e)
    expect(err?.status).toBe(401)
  })

  it('keeps no plaintext provider key or virtual key in Postgres or its output', async () => {
    const dump = await dumpDatabase(env.DATABASE_URL!)
    expect(dump).toContain('fake-openai')
    expect(dump).not.toContain(ctx.providerKey)
    expect(dump).not.toContain(ctx.virtualKey)
    expect(switchyard.output()).not.toContain(ctx.providerKey)
    expect(switchyard.output()).not.toContain(ctx.virtualKey)
  })

  it('stops cleanly on Ctrl-C', async () => {
    expect(await switchyard.stop()).toBe(0)
    await expect(fetch(`${dataUrl}/healthz`)).rejects.toThrow()
    await expect(fetch(`${controlUrl}/healthz`)).rejects.toThrow()
  })
})
