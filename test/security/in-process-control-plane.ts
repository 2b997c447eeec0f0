import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { defaultConsoleConfig } from '../../control-plane/app/services/auth-config.server.ts'
import { createTestServices, type TestServices } from '../../control-plane/app/testing/fixtures.ts'
import { createControlPlaneHttp, loadRemixBuild } from '../../control-plane/server/http.ts'
import { freePort } from '../support/ports.ts'
import { REPO_ROOT } from '../support/processes.ts'
import { testDatabaseUrl } from '../support/services.ts'

// The control plane's HTTP server (console and admin API) run in the test's own process, over
// this run's database: every line it logs, and the memory it holds, are the test's to watch,
// which a spawned process would hide.

export interface InProcessControlPlane {
  services: TestServices
  /** http://127.0.0.1:<port>, a port of the system's choosing; also the console's public origin. */
  base: string
  close(): Promise<void>
}

export async function startInProcessControlPlane(options: { log: (message: string) => void }): Promise<InProcessControlPlane> {
  await promisify(execFile)(process.execPath, [join(REPO_ROOT, 'control-plane', 'bin', 'ensure-build.mjs')], { timeout: 120_000 })
  // Its public origin is where it listens, as in a deployment: the CSRF check holds every
  // console form's Origin against it, and the default (port 3000) would refuse them all.
  const port = await freePort()
  const services = createTestServices({ config: defaultConsoleConfig({ publicUrl: `http://127.0.0.1:${port}` }) })
  const http = createControlPlaneHttp({ services, databaseUrl: testDatabaseUrl(), remixBuild: await loadRemixBuild(), log: options.log })
  const base = await http.listen('127.0.0.1', port)
  return {
    services,
    base,
    async close() {
      await http.close()
      await services.close()
    },
  }
}
