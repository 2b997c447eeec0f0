import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..')

export interface RunningProcess {
  child: ChildProcess
  /** Everything the process printed so far (stdout + stderr), for assertions and canary greps. */
  output(): string
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>
  /** SIGINT (Ctrl-C), then the exit code; SIGKILL if it does not stop in time. */
  stop(timeoutMs?: number): Promise<number | null>
  kill(): Promise<void>
}

/** The environment a child gets: ours minus every Switchyard variable, plus `env`. */
export function childEnv(env: Record<string, string | undefined>): NodeJS.ProcessEnv {
  // A cast: a test that also loads Remix's types sees NODE_ENV declared required.
  const base = {} as NodeJS.ProcessEnv
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(SWITCHYARD_|DATABASE_URL$|REDIS_URL$|CONTROL_PLANE_PORT$|DATA_PLANE_PORT$|EMBEDDED_PG_PORT$|NODE_ENV$|VITEST)/.test(k)) continue
    base[k] = v
  }
  for (const [k, v] of Object.entries(env)) if (v !== undefined) base[k] = v
  return base
}

/** Runs a TypeScript entry of the repo with tsx, the way the package scripts do. */
export function startTs(entry: string, args: string[], env: Record<string, string | undefined>): RunningProcess {
  return startNode(entry, ['--import', 'tsx', join(REPO_ROOT, entry), ...args], env)
}

/** The data plane's bundle (built first when its sources changed), as `npm run start:data-plane` runs it. */
export async function dataPlaneBundle(): Promise<string> {
  const build = (await import(pathToFileURL(join(REPO_ROOT, 'data-plane/bin/build.mjs')).href)) as { ensureDataPlaneBuild(): Promise<string> }
  return build.ensureDataPlaneBuild()
}

/** Runs the data plane alone the way `npm run start:data-plane` does: its bundle, with plain node. */
export async function startDataPlaneBundle(env: Record<string, string | undefined>): Promise<RunningProcess> {
  return startNode('data-plane bundle', [await dataPlaneBundle()], env)
}

function startNode(entry: string, nodeArgs: string[], env: Record<string, string | undefined>): RunningProcess {
  const child = spawn(process.execPath, nodeArgs, {
    cwd: REPO_ROOT,
    env: childEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  const listeners = new Set<() => void>()
  const onData = (chunk: Buffer) => {
    out += chunk.toString('utf8')
    for (const l of listeners) l()
  }
  child.stdout?.on('data', onData)
  child.stderr?.on('data', onData)
  const exited = once(child, 'exit').then(([code]) => code as number | null)

  return {
    child,
    output: () => out,
    waitFor(pattern, timeoutMs = 60_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (pattern.test(out)) {
            cleanup()
            resolve()
          }
        }
        const timer = setTimeout(() => {
          cleanup()
          reject(new Error(`timed out waiting for ${pattern} from ${entry}; output:\n${out.slice(-4000)}`))
        }, timeoutMs)
        const onExit = () => {
          cleanup()
          reject(new Error(`${entry} exited (code ${child.exitCode}) before ${pattern}; output:\n${out.slice(-4000)}`))
        }
        const cleanup = () => {
          clearTimeout(timer)
          listeners.delete(check)
          child.off('exit', onExit)
        }
        listeners.add(check)
        child.once('exit', onExit)
        check()
      })
    },
    async stop(timeoutMs = 20_000) {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode
      child.kill('SIGINT')
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
      const code = await exited
      clearTimeout(timer)
      return code
    },
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return
      child.kill('SIGKILL')
      await exited
    },
  }
}

export interface CliResult {
  code: number | null
  stdout: string
  stderr: string
  json: unknown
}

/** Runs the CLI entry and parses its single JSON object from stdout (CONTRACT.md). */
export async function runCli(args: string[], env: Record<string, string | undefined>): Promise<CliResult> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'control-plane/server/cli.ts'), ...args], {
    cwd: REPO_ROOT,
    env: childEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')))
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')))
  const [code] = (await once(child, 'exit')) as [number | null]
  let json: unknown = null
  try {
    json = JSON.parse(stdout)
  } catch {
    throw new Error(`CLI stdout is not one JSON object: ${JSON.stringify(stdout)}\nstderr: ${stderr}`)
  }
  return { code, stdout, stderr, json }
}
