import type { Infra, LogStream } from '@switchyard/shared/infra'
import type { Db } from '../app/lib/db.server.ts'
import { ingestOnce } from '../app/services/usage-ingest.server.ts'

// The embedded default's log stream lives in this process's memory: on a clean stop, once the
// data plane has flushed its last events to it and the ingester's loop has ended, what is left
// is written to request_logs here, or it would be lost with the process. (Redis keeps its
// stream across restarts: nothing to do there.)

const DRAIN_CONSUMER = 'cp-shutdown-drain'

export async function drainMemoryLogStream(options: { db: Db; infra: Infra; log: (m: string) => void; timeoutMs?: number }): Promise<number> {
  const { infra } = options
  if (infra.kind !== 'memory') return 0
  let entriesRead = 0
  const counting: LogStream = {
    append: (payloads) => infra.logs.append(payloads),
    read: async (read) => {
      const entries = await infra.logs.read(read)
      entriesRead = entries.length
      return entries
    },
    ack: (ids) => infra.logs.ack(ids),
  }
  const deadline = Date.now() + (options.timeoutMs ?? 10_000)
  let inserted = 0
  while (Date.now() < deadline) {
    // claimIdleMs 0: entries the stopped ingester read but never acked are taken over too.
    inserted += await ingestOnce({ db: options.db, infra: { ...infra, logs: counting }, consumer: DRAIN_CONSUMER, count: 64, blockMs: 0, claimIdleMs: 0, log: options.log })
    if (entriesRead === 0) return inserted
  }
  options.log('control-plane: request logs left in the stream after the shutdown deadline')
  return inserted
}
