import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { createTestServices, type TestServices } from '../../control-plane/app/testing/fixtures.ts'
import { createControlPlaneHttp, loadRemixBuild } from '../../control-plane/server/http.ts'
import { REPO_ROOT } from '../support/processes.ts'
import { testDatabaseUrl } from '../support/services.ts'

// The control plane's HTTP server (console and admin API) run in the test's own process, over
// this run's database: every line it logs, and the memory it holds, are the test's to watch,
// which a spawned process would hide.

export interface InProcessControlPlane {
  services: TestServices
  /** http://127.0.0.1:<port>, a port of the system's choosing. */
  base: string
  close(): Promise<void>
}

export async function startInProcessControlPlane(options: { log: (message: string) => void }): Promise<InProcessControlPlane> {
  await promisify(execFile)(process.execPath, [join(REPO_ROOT, 'control-plane', 'bin', 'ensure-build.mjs')], { timeout: 120_000 })
  const services = createTestServices()
  const http = createControlPlaneHttp({ services, databaseUrl: testDatabaseUrl(), remixBuild: await loadRemixBuild(), log: options.log })
  const base = await http.listen('127.0.0.1', 0)
  return {
    services,
    base,
    async close() {
      await http.close()
      await services.close()
    },
  }
}
