import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { chmodSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { startFakeProviders } from '../fake-providers/server.ts'
import { adminApi, waitForReady } from '../support/admin-api.ts'
import { freePort, isListening } from '../support/ports.ts'
import { dataPlaneChild, descendants, isAlive, rssMb } from '../support/process-tree.ts'
import { childEnv, REPO_ROOT, runCli } from '../support/processes.ts'

async function untilClosed(ports: number[], timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (const port of ports) {
    while (await isListening(port)) {
      if (Date.now() > deadline) throw new Error(`port ${port} still open after Ctrl-C`)
      await new Promise((r) => setTimeout(r, 100))
    }
  }
}

/** `npm start` in its own process group, so a group SIGINT is a terminal's Ctrl-C. */
function npmStart(env: Record<string, string>) {
  const child = spawn('npm', ['start'], { cwd: REPO_ROOT, env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'], detached: true })
  let output = ''
  child.stdout.on('data', (c: Buffer) => (output += c.toString()))
  child.stderr.on('data', (c: Buffer) => (output += c.toString()))
  const closed = once(child, 'close')
  return {
    output: () => output,
    async ctrlC() {
      process.kill(-child.pid!, 'SIGINT')
      const timer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 30_000)
      await closed
      clearTimeout(timer)
    },
  }
}

// Foundation issue: `npm start` — the README's first command — with no DATABASE_URL and no
// REDIS_URL: embedded PostgreSQL, the control plane and its supervised data-plane process
// (issue #14), Ctrl-C stops all of it and leaves no process behind.
describe('npm start (embedded default)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sy-npm-start-'))
  chmodSync(dataDir, 0o755)
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }))

  it('starts embedded PostgreSQL and both planes, and Ctrl-C stops everything, no orphan left', async () => {
    const [cp, dp, pgPort] = [await freePort(), await freePort(), await freePort()]
    const child = spawn('npm', ['start'], {
      cwd: REPO_ROOT,
      env: childEnv({
        CONTROL_PLANE_PORT: String(cp),
        DATA_PLANE_PORT: String(dp),
        EMBEDDED_PG_PORT: String(pgPort),
        SWITCHYARD_DATA_DIR: dataDir,
      }),
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so SIGINT reaches npm and everything under it, like Ctrl-C in a terminal.
      detached: true,
    })
    let output = ''
    child.stdout.on('data', (c: Buffer) => (output += c.toString()))
    child.stderr.on('data', (c: Buffer) => (output += c.toString()))
    // 'close' waits for every process holding npm's stdio, i.e. Switchyard under npm too.
    const exited = once(child, 'close')
    const startedAt = Date.now()
    let tree: number[] = []
    try {
      await waitForReady(`http://127.0.0.1:${cp}`, 120_000)
      expect(await waitForReady(`http://127.0.0.1:${dp}`, 30_000)).toMatchObject({ status: 'ready' })
      await expect.poll(() => output, { timeout: 10_000 }).toMatch(/data plane listening on http:\/\/127\.0\.0\.1:\d+/)
      process.stdout.write(`[figure] npm start: both planes ready ${Date.now() - startedAt} ms after the command (limit 60000)\n`)
      expect(output).toMatch(/control plane listening on http:\/\/127\.0\.0\.1:\d+/)
      expect(await isListening(pgPort)).toBe(true)
      const home = await fetch(`http://127.0.0.1:${cp}/`)
      expect(home.status).toBe(200)
      expect(await home.text()).toContain('Switchyard')
      // Two node processes of Switchyard's own: the control plane (tsx) and the data plane (its bundle).
      const dataPlane = dataPlaneChild(child.pid!)
      const controlPlane = descendants(child.pid!).find((p) => p.cmdline.includes('--import tsx') && p.cmdline.includes('control-plane/server/main.ts'))
      expect(dataPlane && controlPlane).toBeTruthy()
      process.stdout.write(`[figure] npm start: resident memory after start: control plane ${rssMb(controlPlane!.pid)} MB, data plane ${rssMb(dataPlane!.pid)} MB\n`)
      tree = descendants(child.pid!).map((p) => p.pid)
    } catch (err) {
      throw new Error(`${(err as Error).message}\n--- npm start output ---\n${output.slice(-6000)}`)
    } finally {
      process.kill(-child.pid!, 'SIGINT')
      const timer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 30_000)
      await exited
      clearTimeout(timer)
    }
    // npm itself dies of the SIGINT like any shell job; what matters is that Switchyard under it
    // shut down in order and released every port, the embedded PostgreSQL's included.
    expect(child.exitCode === 0 || child.signalCode === 'SIGINT', output.slice(-3000)).toBe(true)
    await untilClosed([cp, dp, pgPort])
    expect(output).toMatch(/stopped cleanly/)
    // Every process npm start had started (control plane, data plane, PostgreSQL's) is gone.
    expect(tree.length).toBeGreaterThanOrEqual(3)
    expect(tree.filter(isAlive)).toEqual([])
  }, 180_000)

  // Issue #14: the data plane's last log events travel to the control plane over IPC on the
  // way out; a terminal's Ctrl-C reaches both processes at once and none may be lost.
  it('keeps every request log across Ctrl-C: N requests, Ctrl-C at once, start again, N rows', async () => {
    const fake = await startFakeProviders()
    const [cp, dp, pgPort] = [await freePort(), await freePort(), await freePort()]
    const env = { CONTROL_PLANE_PORT: String(cp), DATA_PLANE_PORT: String(dp), EMBEDDED_PG_PORT: String(pgPort), SWITCHYARD_DATA_DIR: join(dataDir, 'logs') }
    let run = npmStart(env)
    try {
      await waitForReady(`http://127.0.0.1:${cp}`, 120_000)
      await waitForReady(`http://127.0.0.1:${dp}`, 30_000)
      const boot = await runCli(['bootstrap', '--email', 'ctrlc@example.com', '--password', 'correct horse battery staple', '--team', 'C'], env)
      expect(boot.code, boot.stderr).toBe(0)
      const admin = adminApi(`http://127.0.0.1:${cp}`, (boot.json as { adminToken: string }).adminToken)
      expect((await admin.post('/providers', { name: 'fake-openai', type: 'openai', apiKey: 'sk-ctrlc', baseUrl: fake.openaiBaseUrl })).status).toBe(201)
      const key = (await admin.post('/virtual-keys', { name: 'ctrlc' })).json?.key as string
      const call = async () => {
        const res = await fetch(`http://127.0.0.1:${dp}/v1/chat/completions`, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          body: JSON.stringify({ model: 'fake-openai/gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] }),
        })
        await res.arrayBuffer()
        return res
      }
      const deadline = Date.now() + 5_000
      while ((await call()).status === 401 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25))
      const n = 150
      const answers = await Promise.all(Array.from({ length: n }, call))
      expect(answers.map((a) => a.status)).toEqual(Array(n).fill(200))
      await run.ctrlC()
      expect(run.output()).toMatch(/stopped cleanly/)

      run = npmStart(env)
      await waitForReady(`http://127.0.0.1:${cp}`, 120_000)
      const ids = new Set(answers.map((a) => a.headers.get('x-request-id')))
      const logs = await admin.get('/logs?limit=200')
      const logged = ((logs.json?.data ?? []) as { requestId: string }[]).filter((i) => ids.has(i.requestId))
      expect(logged, run.output().slice(-3000)).toHaveLength(n)
    } finally {
      await run.ctrlC()
      await fake.close()
    }
  }, 240_000)
})
