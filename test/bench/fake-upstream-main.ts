import { startFakeUpstream } from './fake-upstream.ts'

// Process entry of the fake upstream (pinned to the load generator's core by the bench).
const port = Number(process.argv[2] ?? 0)
const server = await startFakeUpstream(port)
const address = server.address()
process.stdout.write(`fake-upstream listening ${typeof address === 'object' && address ? address.port : port}\n`)
process.once('SIGTERM', () => process.exit(0))
process.once('SIGINT', () => process.exit(0))
