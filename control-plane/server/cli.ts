import { mkdirSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { keyringFromEnv, MasterKeyError } from '@switchyard/shared/crypto'
import { EnvError, resolveDataDir, type SwitchyardEnv } from '@switchyard/shared/env'
import { ApiError } from '@switchyard/shared/errors'
import { createMemoryInfra, createRedisInfra, type Infra } from '@switchyard/shared/infra'
import type { z } from 'zod'
import { createDb, type Db } from '../app/lib/db.server.ts'
import { BootstrapInput, bootstrap, createTokenForUser, TokenCreateInput } from '../app/services/accounts.server.ts'
import { createSnapshotPublisher } from '../app/services/snapshot.server.ts'
import { rewrapAllProviderCredentials } from '../app/services/vault.server.ts'
import { acquireDatabase } from './db/database.ts'
import { migrate } from './db/migrate.ts'
import { loadEnv } from './env.ts'

// `npm run --silent cli -- <command>`: exactly one JSON object on stdout, exit 0; on failure
// {"error":{"code","message"}} on stdout and exit 1. Diagnostics go to stderr. Works with or
// without `npm start` running: DATABASE_URL, else the embedded database (started if needed).

const log = (message: string) => process.stderr.write(`${message}\n`)

const USAGE =
  'commands: bootstrap --email E --password P --team T | token create --email E --password P [--team T] [--expires-at ISO-8601] | rotate-master-key | db:migrate'

interface Context {
  env: SwitchyardEnv
  dataDir: string
  databaseUrl: string
  withDb<T>(fn: (db: Db) => Promise<T>): Promise<T>
}

function parseFlags<T extends z.ZodType>(args: string[], schema: T): z.infer<T> {
  const { values, positionals } = parseArgs({
    args,
    options: { email: { type: 'string' }, password: { type: 'string' }, team: { type: 'string' }, 'expires-at': { type: 'string' } },
    strict: true,
    allowPositionals: true,
  })
  if (positionals.length > 0) throw new ApiError('validation_failed', `unexpected argument "${positionals[0]}"`)
  const result = schema.safeParse(values)
  if (!result.success) {
    const issue = result.error.issues[0]
    throw new ApiError('validation_failed', `--${issue?.path.join('.') ?? '?'}: ${issue?.message ?? 'invalid'}`)
  }
  return result.data
}

async function publishSnapshot(ctx: Context, db: Db): Promise<void> {
  // With Redis the running data planes hear about it; with the in-process default the stored
  // version is picked up by the next publish of the running control plane.
  const infra: Infra = ctx.env.REDIS_URL
    ? createRedisInfra({ url: ctx.env.REDIS_URL, prefix: ctx.env.SWITCHYARD_REDIS_PREFIX })
    : createMemoryInfra()
  try {
    await createSnapshotPublisher({ db, infra }).publish()
  } finally {
    await infra.close()
  }
}

async function run(command: string[], ctx: Context): Promise<Record<string, unknown>> {
  const [name, ...rest] = command
  if (name === 'bootstrap') {
    const input = parseFlags(rest, BootstrapInput)
    return ctx.withDb((db) => bootstrap(db, input))
  }
  if (name === 'token' && rest[0] === 'create') {
    const input = parseFlags(rest.slice(1), TokenCreateInput)
    return ctx.withDb((db) => createTokenForUser(db, input))
  }
  if (name === 'rotate-master-key') {
    const keyring = keyringFromEnv(ctx.env, ctx.dataDir, { generate: false })
    return ctx.withDb(async (db) => {
      const rewrapped = await rewrapAllProviderCredentials(db, keyring)
      await publishSnapshot(ctx, db)
      return { rewrapped }
    })
  }
  if (name === 'db:migrate') return { applied: (await migrate(ctx.databaseUrl)).applied }
  throw new ApiError('validation_failed', `unknown command "${command.join(' ')}". ${USAGE}`)
}

function toErrorBody(err: unknown): { code: string; message: string } {
  if (err instanceof ApiError) return { code: err.code, message: err.message }
  if (err instanceof EnvError || err instanceof MasterKeyError) return { code: 'validation_failed', message: err.message }
  if (err instanceof TypeError && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS')) {
    return { code: 'validation_failed', message: err.message }
  }
  return { code: 'internal', message: err instanceof Error ? err.message : String(err) }
}

async function main(): Promise<number> {
  const command = process.argv.slice(2).filter((a, i) => !(i === 0 && a === '--'))
  let release: () => Promise<void> = async () => {}
  let output: Record<string, unknown>
  let status = 0
  try {
    if (command.length === 0) throw new ApiError('validation_failed', USAGE)
    const env = loadEnv()
    const dataDir = resolveDataDir(env)
    mkdirSync(dataDir, { recursive: true, mode: 0o755 })
    const database = await acquireDatabase(env, dataDir, log)
    release = () => database.release()
    // Every command may meet a fresh database (the embedded one, or a new DATABASE_URL).
    if (command[0] !== 'db:migrate') await migrate(database.url)
    const ctx: Context = {
      env,
      dataDir,
      databaseUrl: database.url,
      async withDb(fn) {
        const db = createDb(database.url)
        try {
          return await fn(db)
        } finally {
          await db.$disconnect()
        }
      },
    }
    output = await run(command, ctx)
  } catch (err) {
    const error = toErrorBody(err)
    if (error.code === 'internal') log(err instanceof Error ? (err.stack ?? err.message) : String(err))
    output = { error }
    status = 1
  }
  await release().catch((err: unknown) => log(`cli: stopping the embedded database failed: ${(err as Error).message}`))
  await new Promise<void>((resolve) => process.stdout.write(`${JSON.stringify(output)}\n`, () => resolve()))
  return status
}

main().then(
  (status) => process.exit(status),
  (err: unknown) => {
    log(String(err))
    process.exit(1)
  },
)
