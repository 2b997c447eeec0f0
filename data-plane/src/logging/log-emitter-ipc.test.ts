import type { RequestLogEvent } from '@switchyard/shared/events'
import { createIpcInfra, createMemoryInfra, serveInfraOverIpc } from '@switchyard/shared/infra'
import { endpointPair } from '@switchyard/shared/infra/testing'
import { requestLogEvent } from '@switchyard/shared/testing/request-log-event'
import { describe, expect, it } from 'vitest'
import { LogEmitter } from './log-emitter.ts'

const event = (requestId: string) => requestLogEvent('team_1', { requestId })

// Issue #14: in `npm start` the data plane's log events go to the control plane over IPC. A
// parent that stops answering for a while (busy, or the child restarting) must cost the data
// plane a bounded buffer, the events dropped counted, and the rest delivered once it answers.
describe('request logs over IPC to a busy parent', () => {
  it('keeps a bounded buffer, counts what it dropped, and delivers the newest once the parent answers', async () => {
    const pair = endpointPair()
    const parentInfra = createMemoryInfra()
    serveInfraOverIpc(parentInfra, pair.parent)
    const warnings: Record<string, unknown>[] = []
    const emitter = new LogEmitter({
      logs: createIpcInfra(pair.child, { timeoutMs: 30 }).logs,
      log: { warn: (o: unknown) => void warnings.push(o as Record<string, unknown>), error: () => {} },
      flushIntervalMs: 5,
      maxBuffered: 100,
    })
    pair.hold()
    for (let i = 0; i < 300; i++) emitter.emit(event(`req_${i}`))
    await new Promise((r) => setTimeout(r, 100))
    pair.release()
    await emitter.close()

    const delivered = new Set<string>()
    for (;;) {
      const entries = await parentInfra.logs.read({ consumer: 'ingest', count: 100, blockMs: 0, claimIdleMs: 60_000 })
      if (entries.length === 0) break
      for (const e of entries) delivered.add((JSON.parse(e.payload) as RequestLogEvent).requestId)
    }
    for (let i = 200; i < 300; i++) expect(delivered.has(`req_${i}`), `req_${i}`).toBe(true)
    const recovered = warnings.find((w) => typeof w.dropped === 'number')
    expect(recovered?.dropped).toBeGreaterThan(0)
    expect((recovered?.dropped as number) + delivered.size).toBeGreaterThanOrEqual(300)
  })
})
