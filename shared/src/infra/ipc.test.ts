import { describe, expect, it } from 'vitest'
import { createIpcInfra, IpcUnavailableError } from './ipc-client.ts'
import { serveInfraOverIpc } from './ipc-server.ts'
import { createMemoryInfra } from './memory.ts'
import type { Infra } from './ports.ts'
import { endpointPair } from './testing/endpoint-pair.ts'

// What the IPC variant adds to the shared contract (infra.contract.test.ts): the data plane
// never waits on its parent for longer than a call's timeout, and a parent that goes away
// fails calls at once and leaves nothing subscribed (issue #14).
describe('IPC infra (npm start: data-plane child → control plane)', () => {
  it('fails a call the parent does not answer after its timeout, and every call at once after the channel closed', async () => {
    const pair = endpointPair()
    serveInfraOverIpc(createMemoryInfra(), pair.parent)
    const infra = createIpcInfra(pair.child, { timeoutMs: 100 })
    pair.hold()
    const started = Date.now()
    await expect(infra.snapshots.getLatest()).rejects.toBeInstanceOf(IpcUnavailableError)
    expect(Date.now() - started).toBeLessThan(1_000)
    pair.release()

    const pending = infra.logs.append(['a'])
    pair.hold()
    const pendingWhileHeld = infra.logs.append(['b'])
    pair.close()
    await expect(pendingWhileHeld).rejects.toThrow(/closed/)
    await pending.catch(() => undefined)
    await expect(infra.snapshots.getLatest()).rejects.toThrow(/closed/)
    expect(await infra.ping()).toBe(false)
  })

  it('pushes announcements to the child, and drops its subscriptions when its channel closes', async () => {
    const pair = endpointPair()
    const memory = createMemoryInfra()
    const server = serveInfraOverIpc(memory, pair.parent)
    const sent: unknown[] = []
    const send = pair.parent.send.bind(pair.parent)
    pair.parent.send = (m) => (sent.push(m), send(m))
    const infra = createIpcInfra(pair.child)
    const seen: number[] = []
    await infra.snapshots.subscribe((v) => seen.push(v))
    await memory.snapshots.publish(3, '{"version":3}')
    await expect.poll(() => seen).toEqual([3])

    pair.close()
    await server.close()
    sent.length = 0
    await memory.snapshots.publish(4, '{"version":4}')
    await new Promise((r) => setTimeout(r, 20))
    expect(sent).toEqual([])
  })

  it("settles a log append once written, and close() waits for the parent's ack; an append the parent never got is counted", async () => {
    const pair = endpointPair()
    const memory = createMemoryInfra()
    // A busy parent: each append is processed 100 ms after it arrives.
    const slow: Infra = { ...memory, logs: { ...memory.logs, append: (p) => new Promise((r) => setTimeout(r, 100)).then(() => memory.logs.append(p)), read: (o) => memory.logs.read(o), ack: (i) => memory.logs.ack(i) } }
    serveInfraOverIpc(slow, pair.parent)
    const lost: number[] = []
    const infra = createIpcInfra(pair.child, { onLost: (n) => lost.push(n) })
    const started = Date.now()
    await infra.logs.append(['a', 'b'])
    expect(Date.now() - started).toBeLessThan(80)
    await infra.close()
    expect(Date.now() - started).toBeGreaterThanOrEqual(90)
    const read = await memory.logs.read({ consumer: 'ingest', count: 10, blockMs: 0, claimIdleMs: 60_000 })
    expect(read.map((e) => e.payload)).toEqual(['a', 'b'])
    expect(lost).toEqual([])

    // The parent goes away before it has processed a written batch.
    const gone = endpointPair()
    serveInfraOverIpc(slow, gone.parent)
    const other = createIpcInfra(gone.child, { onLost: (n) => lost.push(n) })
    await other.logs.append(['c', 'd', 'e'])
    gone.close()
    await expect.poll(() => lost).toEqual([3])
  })

  it('forwards log appends to the parent stream, where its ingester reads them', async () => {
    const pair = endpointPair()
    const memory = createMemoryInfra()
    serveInfraOverIpc(memory, pair.parent)
    const infra = createIpcInfra(pair.child)
    await infra.logs.append(['e1', 'e2'])
    const read = await memory.logs.read({ consumer: 'ingest', count: 10, blockMs: 0, claimIdleMs: 60_000 })
    expect(read.map((e) => e.payload)).toEqual(['e1', 'e2'])
  })
})
