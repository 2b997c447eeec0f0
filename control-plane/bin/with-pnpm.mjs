#!/usr/bin/env node
// Runs the pinned pnpm (from package.json "packageManager") with the given arguments,
// installing the workspace first when node_modules is missing or older than the lockfile.
// `--node <entry.ts> [args]` instead runs a TypeScript entry directly (node --import tsx), so a
// long-running process sits right under npm: Ctrl-C reaches it once, and the launcher passes on
// its exit code instead of a package manager reporting "failed with signal SIGINT".
// `--data-plane` runs the data plane the same way, from its bundle (data-plane/bin/build.mjs
// builds it first when its sources changed): plain node, no TypeScript loader in production.
// Plain Node, no dependencies: the root scripts must work on a machine that has only Node.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readFileSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const { packageManager } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
const pinned = packageManager.replace(/^pnpm@/, '')

function pnpmCommand() {
  const probe = spawnSync('pnpm', ['--version'], { encoding: 'utf8', shell: false })
  if (probe.status === 0 && probe.stdout.trim() === pinned) return ['pnpm', []]
  return ['npx', ['--yes', `pnpm@${pinned}`]]
}

function run(args, opts = {}) {
  const [cmd, pre] = pnpmCommand()
  const res = spawnSync(cmd, [...pre, ...args], { cwd: root, stdio: 'inherit', ...opts })
  if (res.error) throw res.error
  return res.status ?? 1
}

function installNeeded() {
  const marker = join(root, 'node_modules', '.modules.yaml')
  if (!existsSync(marker)) return true
  return statSync(join(root, 'pnpm-lock.yaml')).mtimeMs > statSync(marker).mtimeMs
}

// The install's postinstall generates the Prisma client; a pulled schema change without a
// lockfile change would otherwise leave a stale client that no longer matches the migrations.
function prismaClientStale() {
  const client = join(root, 'control-plane', 'app', 'generated', 'prisma', 'client.ts')
  if (!existsSync(client)) return true
  return statSync(join(root, 'prisma', 'schema.prisma')).mtimeMs > statSync(client).mtimeMs
}

if (installNeeded()) {
  // Install output goes to stderr so `npm run --silent cli` keeps stdout to one JSON object.
  // NODE_ENV=production would make pnpm skip devDependencies, which the console build needs.
  const { NODE_ENV: _ignored, ...installEnv } = process.env
  const status = run(['install', '--frozen-lockfile'], { stdio: ['ignore', 2, 2], env: installEnv })
  if (status !== 0) process.exit(status)
} else if (prismaClientStale()) {
  const res = spawnSync(process.execPath, [join(root, 'control-plane', 'bin', 'generate-prisma.mjs')], { cwd: root, stdio: ['ignore', 2, 2] })
  if (res.status !== 0) process.exit(res.status ?? 1)
}
const args = process.argv.slice(2)
if (args[0] !== '--node' && args[0] !== '--data-plane') process.exit(run(args))

let nodeArgs = ['--import', 'tsx', ...args.slice(1)]
if (args[0] === '--data-plane') {
  const { ensureDataPlaneBuild } = await import('../../data-plane/bin/build.mjs')
  nodeArgs = [await ensureDataPlaneBuild(), ...args.slice(1)]
}
const child = spawn(process.execPath, nodeArgs, { cwd: root, stdio: 'inherit' })
// A terminal's Ctrl-C reaches the whole process group, child included: let the child handle
// it. A SIGTERM aimed at the launcher alone (a container's PID 1) is passed on.
process.on('SIGINT', () => {})
process.on('SIGTERM', () => child.kill('SIGTERM'))
child.on('exit', (code, signal) => {
  if (signal) process.kill(process.pid, signal)
  process.exit(code ?? 1)
})
