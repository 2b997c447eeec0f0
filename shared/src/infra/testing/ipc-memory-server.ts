import { parentEndpoint } from '../ipc-channel.ts'
import { serveInfraOverIpc } from '../ipc-server.ts'
import { createMemoryInfra } from '../memory.ts'

// A process that serves a fresh in-memory infra to its parent over the IPC channel, as
// `npm start`'s control plane serves its data-plane child: the IPC twin's contract tests run
// against a real child_process channel. Exits when the channel closes.
const endpoint = parentEndpoint()
if (!endpoint) {
  process.stderr.write('ipc-memory-server: no IPC channel (fork this file)\n')
  process.exit(1)
}
serveInfraOverIpc(createMemoryInfra(), endpoint)
endpoint.onClose(() => process.exit(0))
