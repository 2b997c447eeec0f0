import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { freePort } from '../support/ports.ts'
import { childEnv, REPO_ROOT } from '../support/processes.ts'
import { type Proc, startProc } from './proc.ts'

// The peer: Portkey's open-source gateway from npm, installed at bench time into a gitignored
// directory (never into the workspace lockfile). @hono/node-server is pinned to 1.14.1: from
// 1.14.2 on Portkey's streaming breaks (Portkey-AI/gateway#1389, PLATFORM.md).

export const PORTKEY_VERSION = '1.15.2'
export const HONO_NODE_SERVER_VERSION = '1.14.1'
export const PEERS_DIR = join(REPO_ROOT, 'test/bench/.peers')
const ENTRY = join(PEERS_DIR, 'node_modules/@portkey-ai/gateway/build/start-server.js')

function installedVersion(pkg: string): string | null {
  try {
    const json = JSON.parse(readFileSync(join(PEERS_DIR, 'node_modules', pkg, 'package.json'), 'utf8')) as { version?: unknown }
    return typeof json.version === 'string' ? json.version : null
  } catch {
    return null
  }
}

/** Installs the peer once (skipped when the pinned versions are already there). */
export function ensurePortkey(log: (line: string) => void): void {
  if (installedVersion('@portkey-ai/gateway') === PORTKEY_VERSION && installedVersion('@hono/node-server') === HONO_NODE_SERVER_VERSION && existsSync(ENTRY)) return
  mkdirSync(PEERS_DIR, { recursive: true })
  const manifest = {
    name: 'switchyard-bench-peers',
    private: true,
    description: 'Installed by `npm run bench` (test/bench/portkey.ts); not part of the workspace.',
    dependencies: { '@portkey-ai/gateway': PORTKEY_VERSION },
    overrides: { '@hono/node-server': HONO_NODE_SERVER_VERSION },
  }
  writeFileSync(join(PEERS_DIR, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`)
  log(`installing @portkey-ai/gateway@${PORTKEY_VERSION} (with @hono/node-server@${HONO_NODE_SERVER_VERSION}) into ${PEERS_DIR} …`)
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
  execFileSync(npm, ['install', '--no-audit', '--no-fund', '--no-package-lock', '--loglevel=error'], { cwd: PEERS_DIR, stdio: ['ignore', 'inherit', 'inherit'] })
  if (installedVersion('@hono/node-server') !== HONO_NODE_SERVER_VERSION) throw new Error('@hono/node-server override was not applied')
}

export interface RunningPortkey {
  proc: Proc
  origin: string
}

export async function startPortkey(): Promise<RunningPortkey> {
  // Never its default 8787 (our data plane's default port).
  const port = await freePort()
  const env = childEnv({ NODE_ENV: 'production' })
  const proc = startProc('portkey', 'target', process.execPath, [ENTRY, `--port=${port}`, '--headless'], env, PEERS_DIR)
  const origin = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 30_000
  for (;;) {
    const res = await fetch(`${origin}/`).catch(() => null)
    if (res?.status === 200) {
      await res.arrayBuffer()
      break
    }
    if (Date.now() > deadline || proc.child.exitCode !== null) throw new Error(`portkey did not start:\n${proc.output().slice(-2000)}`)
    await new Promise((r) => setTimeout(r, 100))
  }
  return { proc, origin }
}
