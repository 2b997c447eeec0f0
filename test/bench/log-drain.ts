import { createRedisInfra } from '@switchyard/shared/infra'
import { redisNames } from '@switchyard/shared/snapshot'
import { Redis } from 'ioredis'

// Stands in for the control plane's log ingester during the bench: the same consumer group
// and XREADGROUP/XAUTOCLAIM + XACK loop (shared/src/infra), without the Postgres writes. It runs
// on the load generator's core so the data plane's log stream is drained as in production.
const [url, prefix] = [process.argv[2], process.argv[3]]
if (!url || prefix === undefined) throw new Error('usage: log-drain <redis url> <prefix>')
const infra = createRedisInfra({ url, prefix })
const trimmer = new Redis(url)
const trim = setInterval(() => {
  // Acked entries are of no further use here: keep the stream small (Redis is shared with nothing).
  trimmer.xtrim(redisNames(prefix).logStream, 'MAXLEN', '~', 10_000).catch(() => {})
}, 1_000)
let stopping = false
let drained = 0
const stop = () => {
  stopping = true
}
process.once('SIGTERM', stop)
process.once('SIGINT', stop)
process.stdout.write('log-drain ready\n')
while (!stopping) {
  try {
    const entries = await infra.logs.read({ consumer: 'bench', count: 16, blockMs: 200, claimIdleMs: 30_000 })
    if (entries.length > 0) {
      await infra.logs.ack(entries.map((e) => e.id))
      drained += entries.length
    }
  } catch (err) {
    process.stderr.write(`log-drain: ${err instanceof Error ? err.message : String(err)}\n`)
    await new Promise((r) => setTimeout(r, 200))
  }
}
process.stdout.write(`log-drain drained ${drained}\n`)
clearInterval(trim)
trimmer.disconnect()
await infra.close()
process.exit(0)
