import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { chmodSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { waitForReady } from '../support/admin-api.ts'
import { freePort, isListening } from '../support/ports.ts'
import { childEnv, REPO_ROOT } from '../support/processes.ts'

async function untilClosed(ports: number[], timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (const port of ports) {
    while (await isListening(port)) {
      if (Date.now() > deadline) throw new Error(`port ${port} still open after Ctrl-C`)
      await new Promise((r) => setTimeout(r, 100))
    }
  }
}

// Foundation issue: `npm start` — the README's first command — with no DATABASE_URL and no
// REDIS_URL: embedded PostgreSQL, both planes in one process, Ctrl-C stops all of it.
describe('npm start (embedded default)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sy-npm-start-'))
  chmodSync(dataDir, 0o755)
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }))

  it('starts embedded PostgreSQL and both planes, and Ctrl-C stops everything', async () => {
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
    try {
      await waitForReady(`http://127.0.0.1:${cp}`, 120_000)
      expect(await waitForReady(`http://127.0.0.1:${dp}`, 30_000)).toMatchObject({ status: 'ready' })
      expect(await isListening(pgPort)).toBe(true)
      const home = await fetch(`http://127.0.0.1:${cp}/`)
      expect(home.status).toBe(200)
      expect(await home.text()).toContain('Switchyard')
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
  }, 180_000)
})
