import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { childEndpoint, DataPlaneListening, type Infra, serveInfraOverIpc } from '@switchyard/shared/infra'
import { REPO_ROOT } from './db/paths.ts'
import { inheritedEnv } from './env.ts'

// `npm start` supervises the data plane as its own process, run from its bundle with plain node
// as `npm run start:data-plane` runs it: the gateway never shares an event loop with the
// console, the ingester or the database client. Without REDIS_URL its infra is this process's
// (the in-memory twin), served over the child's IPC channel; with REDIS_URL both use Redis.
// A child that dies is restarted with back-off; close() drains it as a replica's SIGTERM does.

export interface SupervisorOptions {
  infra: Infra
  /** The child reads the generated master key and keeps its last-good snapshot here. */
  dataDir: string
  log: (message: string) => void
  /** First restart delay, doubled per consecutive crash up to maxBackoffMs (defaults 500 / 10 000). */
  backoffMs?: number
  maxBackoffMs?: number
  /** A child up this long has recovered: the next crash restarts after backoffMs again (30 000). */
  healthyAfterMs?: number
  /** How long a draining child may take before it is killed (15 000). */
  stopTimeoutMs?: number
}

export interface SupervisedDataPlane {
  /** The URL of the first child's listener; rejects if that child exits before it listens. */
  ready: Promise<string>
  /** The running child's pid (null between a crash and its restart). */
  pid(): number | null
  /** Stops restarting, then SIGTERM: the child drains requests and flushes its logs, then exits. */
  close(): Promise<void>
}

async function bundlePath(): Promise<string> {
  const build = (await import(pathToFileURL(join(REPO_ROOT, 'data-plane', 'bin', 'build.mjs')).href)) as { ensureDataPlaneBuild(): Promise<string> }
  return build.ensureDataPlaneBuild()
}

export async function superviseDataPlane(options: SupervisorOptions): Promise<SupervisedDataPlane> {
  const bundle = await bundlePath()
  const { log } = options
  const backoffMs = options.backoffMs ?? 500
  const maxBackoffMs = options.maxBackoffMs ?? 10_000
  const healthyAfterMs = options.healthyAfterMs ?? 30_000
  let delayMs = backoffMs
  let child: ChildProcess | null = null
  let restartTimer: NodeJS.Timeout | null = null
  let stopping = false
  let everListened = false
  let settleReady: { resolve(url: string): void; reject(err: Error): void } | null = null
  const ready = new Promise<string>((resolve, reject) => (settleReady = { resolve, reject }))

  const start = () => {
    restartTimer = null
    const startedAt = Date.now()
    const current = spawn(process.execPath, [bundle], {
      cwd: join(REPO_ROOT, 'data-plane'),
      env: { ...inheritedEnv(), SWITCHYARD_DATA_DIR: options.dataDir } as NodeJS.ProcessEnv,
      // Its output joins this process's stderr, so stdout keeps to the two URLs.
      stdio: ['ignore', 2, 2, 'ipc'],
      serialization: 'advanced',
    })
    child = current
    const server = serveInfraOverIpc(options.infra, childEndpoint(current))
    current.on('message', (message: unknown) => {
      const listening = DataPlaneListening.safeParse(message)
      if (!listening.success) return
      if (everListened) log(`data plane: restarted (pid ${current.pid}), listening on ${listening.data.url}`)
      everListened = true
      settleReady?.resolve(listening.data.url)
      settleReady = null
    })
    current.once('exit', (code, signal) => {
      void server.close()
      child = null
      const how = signal ?? `code ${code}`
      if (stopping) return
      if (!everListened) {
        settleReady?.reject(new Error(`the data plane process exited (${how}) before it was listening (see its output above)`))
        settleReady = null
        return
      }
      if (Date.now() - startedAt >= healthyAfterMs) delayMs = backoffMs
      log(`data plane: process exited (${how}); restarting in ${(delayMs / 1000).toFixed(1)} s`)
      restartTimer = setTimeout(start, delayMs)
      delayMs = Math.min(delayMs * 2, maxBackoffMs)
    })
  }
  start()

  return {
    ready,
    pid: () => child?.pid ?? null,
    async close() {
      stopping = true
      if (restartTimer) clearTimeout(restartTimer)
      restartTimer = null
      const running = child
      if (!running || running.exitCode !== null || running.signalCode !== null) return
      const exited = once(running, 'exit')
      running.kill('SIGTERM')
      const timer = setTimeout(() => {
        log('data plane: still draining after the stop timeout; killing it')
        running.kill('SIGKILL')
      }, options.stopTimeoutMs ?? 15_000)
      await exited
      clearTimeout(timer)
      log('data plane: stopped')
    },
  }
}
