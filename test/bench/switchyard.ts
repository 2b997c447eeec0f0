import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildKeyring, providerCredentialAad, seal } from '@switchyard/shared/crypto'
import { createRedisInfra } from '@switchyard/shared/infra'
import { generateVirtualKey, hashVirtualKey } from '@switchyard/shared/keys'
import { ConfigSnapshot, type ConfigSnapshotInput } from '@switchyard/shared/snapshot'
import { Redis } from 'ioredis'
import { freePort, isListening } from '../support/ports.ts'
import { childEnv, dataPlaneBundle, REPO_ROOT } from '../support/processes.ts'
import { type Proc, startProc } from './proc.ts'
import { CONNECTIONS, UPSTREAM_KEY } from './shapes.ts'

// Switchyard's data plane in production mode, the way `npm run start:data-plane` runs it (its
// bundle, data-plane/bin/build.mjs, with plain node): NODE_ENV=production, Redis on (snapshot + log stream), a sealed-credential snapshot with one
// virtual key published straight to Redis, request logging on, drained by a consumer on the
// driver core. Redis is a private redis-server pinned to the driver core when one is on PATH
// (else REDIS_URL / 127.0.0.1:6379 with a unique prefix, cleaned up after).

export interface SwitchyardInfra {
  redisUrl: string
  prefix: string
  masterKey: string
  virtualKey: string
  privateRedis: boolean
  drain: Proc
  close(): Promise<{ drained: number }>
}

const TEAM_ID = 'team_bench'

export async function startSwitchyardInfra(upstreamOrigin: string): Promise<SwitchyardInfra> {
  const prefix = `sy-bench-${randomBytes(3).toString('hex')}:`
  let redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'
  let redisProc: Proc | null = null
  try {
    const port = await freePort()
    redisProc = startProc('redis-server', 'driver', 'redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], process.env)
    const deadline = Date.now() + 10_000
    while (!(await isListening(port))) {
      if (Date.now() > deadline || redisProc.child.exitCode !== null) throw new Error('redis-server did not start')
      await new Promise((r) => setTimeout(r, 50))
    }
    redisUrl = `redis://127.0.0.1:${port}`
  } catch (err) {
    await redisProc?.stop('SIGKILL')
    redisProc = null
    process.stderr.write(`bench: no private redis-server (${err instanceof Error ? err.message : String(err)}); using ${redisUrl}\n`)
  }

  const masterKey = randomBytes(32).toString('base64')
  const keyring = buildKeyring(masterKey)
  const virtualKey = generateVirtualKey()
  const provider = (id: string, name: string, type: 'openai' | 'anthropic', baseUrl: string) => ({
    id,
    teamId: TEAM_ID,
    name,
    type,
    baseUrl,
    credential: seal(UPSTREAM_KEY, keyring, providerCredentialAad(TEAM_ID, id)),
  })
  const version = 1_000_000 + Math.floor(Date.now() / 1000) % 1_000_000
  const input: ConfigSnapshotInput = {
    schemaVersion: 1,
    version,
    publishedAt: new Date().toISOString(),
    teams: [{ id: TEAM_ID, slug: 'bench' }],
    virtualKeys: [{ id: 'vk_bench', teamId: TEAM_ID, name: 'bench', keyHash: hashVirtualKey(virtualKey) }],
    providers: [
      // CONTRACT.md base URLs: OpenAI's includes /v1, Anthropic's does not.
      provider('prov_bench_openai', CONNECTIONS.openai, 'openai', `${upstreamOrigin}/v1`),
      provider('prov_bench_anthropic', CONNECTIONS.anthropic, 'anthropic', upstreamOrigin),
    ],
  }
  const snapshot = ConfigSnapshot.parse(input)
  const infra = createRedisInfra({ url: redisUrl, prefix })
  await infra.snapshots.publish(version, JSON.stringify(snapshot))
  await infra.close()

  // The drain stands in for the control plane's ingester, which production runs elsewhere: on
  // the driver core it runs at a lower priority, so its bursts of stream reads do not stall the
  // load generator's clock (and with it the latencies measured for every target).
  const drain = startProc('log-drain', 'driver', 'nice', ['-n', '10', process.execPath, '--import', 'tsx', join(REPO_ROOT, 'test/bench/log-drain.ts'), redisUrl, prefix], process.env, REPO_ROOT)
  await drain.waitFor(/log-drain ready/)

  return {
    redisUrl,
    prefix,
    masterKey,
    virtualKey,
    privateRedis: redisProc !== null,
    drain,
    async close() {
      await drain.stop('SIGTERM')
      const drained = Number(/drained (\d+)/.exec(drain.output())?.[1] ?? 0)
      if (redisProc) {
        await redisProc.stop('SIGKILL')
      } else {
        const redis = new Redis(redisUrl)
        const keys = await redis.keys(`${prefix}*`)
        if (keys.length > 0) await redis.del(...keys)
        redis.disconnect()
      }
      return { drained }
    },
  }
}

/** How the data plane process is run: as `npm run start:data-plane` runs it, or from its sources under tsx (diagnosis). */
export type DataPlaneRunAs = 'bundle' | 'tsx'

export interface DataPlaneOptions {
  /** Extra node flags, e.g. --cpu-prof. */
  nodeFlags?: string[]
  probeFile?: string | null
  runAs?: DataPlaneRunAs
}

export interface RunningDataPlane {
  proc: Proc
  origin: string
  stop(): Promise<void>
}

export async function startDataPlane(infra: SwitchyardInfra, options: DataPlaneOptions = {}): Promise<RunningDataPlane> {
  const port = await freePort()
  const dataDir = mkdtempSync(join(tmpdir(), 'sy-bench-dp-'))
  const env = childEnv({
    NODE_ENV: 'production',
    REDIS_URL: infra.redisUrl,
    SWITCHYARD_REDIS_PREFIX: infra.prefix,
    SWITCHYARD_MASTER_KEY: infra.masterKey,
    DATA_PLANE_PORT: String(port),
    SWITCHYARD_DATA_DIR: dataDir,
    // Production's default is empty (no private upstreams): the fake upstream is on loopback.
    SWITCHYARD_ALLOW_PRIVATE_UPSTREAMS: 'loopback',
    BENCH_PROBE_FILE: options.probeFile ?? undefined,
  })
  const probe = options.probeFile ? ['--import', join(REPO_ROOT, 'test/bench/probe.mjs')] : []
  const args =
    options.runAs === 'tsx'
      ? ['--import', 'tsx', ...probe, ...(options.nodeFlags ?? []), join(REPO_ROOT, 'data-plane/src/server.ts')]
      : [...probe, ...(options.nodeFlags ?? []), await dataPlaneBundle()]
  const proc = startProc('switchyard', 'target', process.execPath, args, env, REPO_ROOT)
  const origin = `http://127.0.0.1:${port}`
  await proc.waitFor(/data plane listening/, 60_000)
  const deadline = Date.now() + 20_000
  for (;;) {
    const res = await fetch(`${origin}/readyz`).catch(() => null)
    if (res?.status === 200) break
    if (Date.now() > deadline) throw new Error(`switchyard not ready:\n${proc.output().slice(-2000)}`)
    await new Promise((r) => setTimeout(r, 100))
  }
  return {
    proc,
    origin,
    async stop() {
      await proc.stop('SIGINT', 20_000)
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}
