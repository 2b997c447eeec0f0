import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Keyring } from '@switchyard/shared/crypto'
import type { SwitchyardEnv } from '@switchyard/shared/env'
import type { Infra } from '@switchyard/shared/infra'
import { REPO_ROOT } from './db/paths.ts'
import { inheritedEnv } from './env.ts'

// `npm start` hosts the data plane too: in this process over the same memory infra when
// REDIS_URL is unset, or as a child process sharing Redis when it is set.

export interface HostedDataPlane {
  url: string | null
  close(): Promise<void>
}

export async function startInProcessDataPlane(options: {
  env: SwitchyardEnv
  infra: Infra
  keyring: Keyring
  dataDir: string
}): Promise<HostedDataPlane> {
  const { buildDataPlane } = await import('@switchyard/data-plane')
  const dataPlane = await buildDataPlane(options)
  const url = await dataPlane.listen()
  return { url, close: () => dataPlane.close() }
}

/** The data plane as its own process, run from its bundle as `npm run start:data-plane` runs it. */
export async function spawnDataPlane(options: { dataDir: string; log: (m: string) => void }): Promise<HostedDataPlane> {
  const build = (await import(pathToFileURL(join(REPO_ROOT, 'data-plane', 'bin', 'build.mjs')).href)) as { ensureDataPlaneBuild(): Promise<string> }
  const child: ChildProcess = spawn(
    process.execPath,
    [await build.ensureDataPlaneBuild()],
    {
      cwd: join(REPO_ROOT, 'data-plane'),
      // The data plane reads the generated master key from the same data dir.
      env: { ...inheritedEnv(), SWITCHYARD_DATA_DIR: options.dataDir } as NodeJS.ProcessEnv,
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  )
  let exited = false
  child.once('exit', (code, signal) => {
    exited = true
    options.log(`data plane process exited (${signal ?? `code ${code}`})`)
  })
  return {
    url: null,
    async close() {
      if (exited || child.exitCode !== null) return
      const done = once(child, 'exit')
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
      await done
      clearTimeout(timer)
    },
  }
}
