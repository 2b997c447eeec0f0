import { fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { childEndpoint } from '../ipc-channel.ts'
import { createIpcInfra } from '../ipc-client.ts'
import type { Infra } from '../ports.ts'

const SERVER = fileURLToPath(new URL('./ipc-memory-server.ts', import.meta.url))
const ROOT = fileURLToPath(new URL('../../../../', import.meta.url))

/**
 * The IPC infra over a real child_process channel (advanced serialization, as `npm start` uses),
 * to a forked process serving an in-memory infra. Calls made before the server process has
 * booted wait in the channel. close() also ends the server process.
 */
export function forkedIpcInfra(): Infra {
  const server = fork(SERVER, [], { cwd: ROOT, execArgv: ['--import', 'tsx'], serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
  const infra = createIpcInfra(childEndpoint(server), { timeoutMs: 15_000 })
  return {
    ...infra,
    close: async () => {
      await infra.close()
      if (server.exitCode === null && server.signalCode === null) {
        const exited = new Promise((resolve) => server.once('exit', resolve))
        server.disconnect()
        await exited
      }
    },
  }
}
