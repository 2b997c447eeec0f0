import { keyringFromEnv, MasterKeyError } from '@switchyard/shared/crypto'
import { EnvError, resolveDataDir } from '@switchyard/shared/env'
import { createRedisInfra } from '@switchyard/shared/infra'
import { loadEnv } from './env.ts'
import { buildDataPlane } from './index.ts'

// `npm run start:data-plane`: the data plane alone (scale-out mode), which requires Redis.
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
  if (!env.REDIS_URL) {
    fail('REDIS_URL is required to run the data plane on its own (without it, `npm start` runs both planes in one process).')
  }
  const dataDir = resolveDataDir(env)
  let keyring
  try {
    keyring = keyringFromEnv(env, dataDir, { generate: false })
  } catch (err) {
    if (err instanceof MasterKeyError) fail(err.message)
    throw err
  }
  const infra = createRedisInfra({ url: env.REDIS_URL, prefix: env.SWITCHYARD_REDIS_PREFIX })
  const dataPlane = await buildDataPlane({ env, infra, keyring, dataDir, logger: true })
  const url = await dataPlane.listen()
  dataPlane.app.log.info(`data plane listening on ${url}`)

  let stopping = false
  const shutdown = (signal: string) => {
    if (stopping) return
    stopping = true
    dataPlane.app.log.info({ signal }, 'shutting down')
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
  process.once('SIGINT', () => shutdown('SIGINT'))
  process.once('SIGTERM', () => shutdown('SIGTERM'))
}

main().catch((err: unknown) => {
  process.stderr.write(`data-plane: failed to start: ${err instanceof Error ? err.message : String(err)}\n`)
  process.exit(1)
})
