import { execFileSync } from 'node:child_process'
import { chmodSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { adminApi, waitForReady } from '../support/admin-api.ts'
import { freePort } from '../support/ports.ts'
import { dataPlaneChild } from '../support/process-tree.ts'
import { childEnv, REPO_ROOT, runCli } from '../support/processes.ts'
import { benchNiceness, PINNING, type Proc, startProc } from './proc.ts'
import { CONNECTIONS, UPSTREAM_KEY } from './shapes.ts'

// The embedded default as a newcomer meets it: the command `npm start` runs (the launcher, then
// control-plane/server/main.ts embedded) with no DATABASE_URL and no REDIS_URL, on its own
// ports, data dir and embedded PostgreSQL; provisioned the way the README says (CLI bootstrap,
// then connections and a virtual key through the admin API). Placement mirrors the replica's:
// what serves requests (the data-plane child) on the target core at normal priority; what
// supports it (the control plane, its ingester, PostgreSQL: the replica's Redis and log drain)
// on the driver core at a lower priority.

export interface RunningEmbedded {
  proc: Proc
  origin: string
  /** The data-plane child: the process measured. */
  dataPlanePid: number
  controlPlaneOrigin: string
  virtualKey: string
  /** Request-log events the data plane dropped (its buffer full while the control plane lagged), as it logged them. */
  stop(): Promise<{ droppedLogEvents: number }>
}

/** Moves a process (every thread) to the target core, at the priority of the bench's other targets. */
function promote(pid: number): void {
  if (PINNING) execFileSync('taskset', ['-a', '-p', '-c', '0', String(pid)], { stdio: 'ignore' })
  execFileSync('renice', ['-n', String(benchNiceness()), '-p', String(pid)], { stdio: 'ignore' })
}

async function provision(controlOrigin: string, dataOrigin: string, cliEnv: Record<string, string>, upstreamOrigin: string): Promise<string> {
  const boot = await runCli(['bootstrap', '--email', 'bench@example.com', '--password', 'bench bench bench bench', '--team', 'Bench'], cliEnv)
  if (boot.code !== 0) throw new Error(`embedded: bootstrap failed: ${boot.stdout} ${boot.stderr}`)
  const admin = adminApi(controlOrigin, (boot.json as { adminToken: string }).adminToken)
  // CONTRACT.md base URLs: OpenAI's includes /v1, Anthropic's does not.
  for (const [name, type, baseUrl] of [
    [CONNECTIONS.openai, 'openai', `${upstreamOrigin}/v1`],
    [CONNECTIONS.anthropic, 'anthropic', upstreamOrigin],
  ] as const) {
    const res = await admin.post('/providers', { name, type, apiKey: UPSTREAM_KEY, baseUrl })
    if (res.status !== 201) throw new Error(`embedded: creating connection ${name}: ${res.status} ${res.text}`)
  }
  const created = await admin.post('/virtual-keys', { name: 'bench' })
  if (created.status !== 201) throw new Error(`embedded: creating the virtual key: ${created.status} ${created.text}`)
  const key = created.json?.key as string
  const deadline = Date.now() + 10_000
  for (;;) {
    const res = await fetch(`${dataOrigin}/v1/models`, { headers: { authorization: `Bearer ${key}` } })
    await res.arrayBuffer()
    if (res.status === 200) return key
    if (Date.now() > deadline) throw new Error(`embedded: the virtual key never became live (${res.status})`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

export async function startEmbedded(upstreamOrigin: string): Promise<RunningEmbedded> {
  const [cp, dp, pg] = [await freePort(), await freePort(), await freePort()]
  const dataDir = mkdtempSync(join(tmpdir(), 'sy-bench-embedded-'))
  // The embedded PostgreSQL runs as the postgres user: it must reach its data dir.
  chmodSync(dataDir, 0o755)
  const own = { CONTROL_PLANE_PORT: String(cp), DATA_PLANE_PORT: String(dp), EMBEDDED_PG_PORT: String(pg), SWITCHYARD_DATA_DIR: dataDir }
  const launcher = [join(REPO_ROOT, 'control-plane/bin/with-pnpm.mjs'), '--node', 'control-plane/server/main.ts', 'embedded']
  const proc = startProc('embedded', 'driver', 'nice', ['-n', '10', process.execPath, ...launcher], childEnv(own), REPO_ROOT)
  await proc.waitFor(/data plane listening on/, 120_000)
  const origin = `http://127.0.0.1:${dp}`
  const controlPlaneOrigin = `http://127.0.0.1:${cp}`
  await waitForReady(origin, 20_000)
  const child = dataPlaneChild(proc.pid)
  if (!child) throw new Error('embedded: no data-plane process under npm start')
  promote(child.pid)
  const virtualKey = await provision(controlPlaneOrigin, origin, own, upstreamOrigin)
  return {
    proc,
    origin,
    dataPlanePid: child.pid,
    controlPlaneOrigin,
    virtualKey,
    async stop() {
      // As a service manager stops it: the launcher passes SIGTERM on to main.ts, which drains the child.
      await proc.stop('SIGTERM', 30_000)
      rmSync(dataDir, { recursive: true, force: true })
      let droppedLogEvents = 0
      for (const m of proc.output().matchAll(/"dropped":(\d+)/g)) droppedLogEvents += Number(m[1])
      return { droppedLogEvents }
    },
  }
}
