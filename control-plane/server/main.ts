import { mkdirSync } from 'node:fs'
import { keyringFromEnv, MasterKeyError } from '@switchyard/shared/crypto'
import { EnvError, resolveDataDir } from '@switchyard/shared/env'
import { createMemoryInfra, createRedisInfra } from '@switchyard/shared/infra'
import { createDb } from '../app/lib/db.server.ts'
import { ensureBuild } from '../bin/ensure-build.mjs'
import { createAppServices } from '../app/services/app-services.server.ts'
import { startUsageIngester } from '../app/services/usage-ingest.server.ts'
import { acquireDatabase } from './db/database.ts'
import { migrate } from './db/migrate.ts'
import { superviseDataPlane } from './data-plane.ts'
import { loadConsoleConfig, loadEnv } from './env.ts'
import { drainMemoryLogStream } from './log-drain.ts'
import { createControlPlaneHttp, loadRemixBuild } from './http.ts'

// `tsx server/main.ts embedded|control-plane`. `embedded` (npm start) also supervises the data
// plane as its own process; `control-plane` runs this plane alone. The only file (with cli.ts)
// that exits.

const log = (message: string) => process.stderr.write(`${message}\n`)

function fail(message: string): never {
  log(`control-plane: ${message}`)
  process.exit(1)
}

type Step = () => Promise<void>

async function main(): Promise<void> {
  const mode = process.argv[2] ?? 'embedded'
  if (mode !== 'embedded' && mode !== 'control-plane') fail(`unknown mode "${mode}" (expected embedded or control-plane)`)
  const env = loadEnv()
  const consoleConfig = loadConsoleConfig(env)
  const dataDir = resolveDataDir(env)
  mkdirSync(dataDir, { recursive: true, mode: 0o755 })
  const keyring = keyringFromEnv(env, dataDir, { generate: true })
  // The console is built on first start (and rebuilt after its sources change).
  if (!ensureBuild()) fail('building the console failed (see the output above)')

  // Shutdown steps run in reverse order of start-up.
  const cleanup: Step[] = []
  const shutdown = async () => {
    for (const step of cleanup.reverse()) {
      await step().catch((err: unknown) => log(`control-plane: shutdown step failed: ${(err as Error).message}`))
    }
  }
  let stopping = false
  const onSignal = (signal: string) => {
    if (stopping) return
    stopping = true
    log(`control-plane: ${signal}, shutting down`)
    void shutdown().then(() => {
      log('control-plane: stopped cleanly')
      process.exit(0)
    })
  }
  process.on('SIGINT', () => onSignal('SIGINT'))
  process.on('SIGTERM', () => onSignal('SIGTERM'))

  try {
    const database = await acquireDatabase(env, dataDir, log)
    cleanup.push(() => database.release())
    const { applied } = await migrate(database.url)
    if (applied.length > 0) log(`control-plane: applied migrations ${applied.join(', ')}`)

    const db = createDb(database.url)
    cleanup.push(() => db.$disconnect())
    const infra = env.REDIS_URL
      ? createRedisInfra({ url: env.REDIS_URL, prefix: env.SWITCHYARD_REDIS_PREFIX })
      : createMemoryInfra()
    cleanup.push(() => infra.close())
    const services = createAppServices({
      db,
      infra,
      keyring,
      allowPrivateUpstreams: env.allowPrivateUpstreams,
      config: consoleConfig,
      log,
    })

    // A fresh install is ready (and the data plane has a snapshot) before anyone bootstraps.
    const version = await services.publisher.publish()
    log(`control-plane: published snapshot ${version}`)
    const ingester = startUsageIngester({ db, infra, log })
    cleanup.push(async () => {
      await ingester.stop()
      // Nothing lost on a clean stop: the data plane has flushed its last events by now.
      await drainMemoryLogStream({ db, infra, log })
    })

    const http = createControlPlaneHttp({ services, databaseUrl: database.url, remixBuild: await loadRemixBuild(), log })
    const url = await http.listen(env.SWITCHYARD_HOST, env.CONTROL_PLANE_PORT)
    cleanup.push(() => http.close())
    process.stdout.write(`control plane listening on ${url}\n`)

    if (mode === 'embedded') {
      // Started once the control plane is ready (snapshot published, infra served); stopped
      // first, so its last log events reach the ingester before that stops.
      const dataPlane = await superviseDataPlane({ infra, dataDir, log })
      cleanup.push(() => dataPlane.close())
      process.stdout.write(`data plane listening on ${await dataPlane.ready}\n`)
    }
  } catch (err) {
    await shutdown()
    throw err
  }
}

main().catch((err: unknown) => {
  if (err instanceof EnvError || err instanceof MasterKeyError) fail(err.message)
  fail(`failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`)
})
