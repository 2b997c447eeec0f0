import { keyringFromEnv, MasterKeyError } from '@switchyard/shared/crypto'
import { EnvError, resolveDataDir } from '@switchyard/shared/env'
import { createIpcInfra, createRedisInfra, type DataPlaneListening, type Infra, parentEndpoint } from '@switchyard/shared/infra'
import { loadEnv } from './env.ts'
import { buildDataPlane } from './index.ts'

// The data plane's process, from its bundle (data-plane/bin/build.mjs). Two ways to run it:
// `npm run start:data-plane` (scale-out, requires Redis), or as the child `npm start`
// supervises (REDIS_URL unset): its infra is then the parent's, over the IPC channel.
// The only file that exits the process.

function fail(message: string): never {
  process.stderr.write(`data-plane: ${message}\n`)
  process.exit(1)
}

async function main(): Promise<void> {
  let env
  try {
    env = loadEnv()
  } catch (err) {
    if (err instanceof EnvError) fail(err.message)
    throw err
  }
  const parent = parentEndpoint()
  if (!env.REDIS_URL && !parent) {
    fail('REDIS_URL is required to run the data plane on its own (without it, `npm start` runs the data plane as its own child process).')
  }
  const dataDir = resolveDataDir(env)
  let keyring
  try {
    keyring = keyringFromEnv(env, dataDir, { generate: false })
  } catch (err) {
    if (err instanceof MasterKeyError) fail(err.message)
    throw err
  }
  const infra: Infra = env.REDIS_URL
    ? createRedisInfra({ url: env.REDIS_URL, prefix: env.SWITCHYARD_REDIS_PREFIX })
    : createIpcInfra(parent!, {
        // Batches already handed to the channel when the parent went away: counted, never silent.
        onLost: (events, reason) => process.stderr.write(`data-plane: ${events} request-log events lost (${reason})\n`),
      })
  const dataPlane = await buildDataPlane({ env, infra, keyring, dataDir, logger: true })
  const url = await dataPlane.listen()
  dataPlane.app.log.info(`data plane listening on ${url}`)
  if (parent) parent.send({ sy: 'sy-data-plane', t: 'listening', url } satisfies DataPlaneListening)

  let stopping = false
  // The same drain for every way of being told to stop: requests finish, the snapshot watcher
  // stops, and the buffered request logs are flushed (to Redis, or acked by the parent).
  const shutdown = (reason: string) => {
    if (stopping) return
    stopping = true
    dataPlane.app.log.info({ reason }, 'shutting down')
    dataPlane
      .close()
      .then(() => infra.close())
      .then(
        () => process.exit(0),
        (err: unknown) => {
          dataPlane.app.log.error({ err }, 'shutdown failed')
          process.exit(1)
        },
      )
  }
  // Under `npm start`, a terminal's Ctrl-C reaches this process directly as well as the
  // supervisor's SIGTERM: whichever comes first starts the drain, the other is ignored. A
  // second Ctrl-C still ends the process at once.
  process.once('SIGINT', () => shutdown('SIGINT'))
  process.once('SIGTERM', () => shutdown('SIGTERM'))
  // The supervisor died without stopping us: never live on as an orphan.
  parent?.onClose(() => shutdown('parent process gone'))
}

main().catch((err: unknown) => {
  process.stderr.write(`data-plane: failed to start: ${err instanceof Error ? err.message : String(err)}\n`)
  process.exit(1)
})
