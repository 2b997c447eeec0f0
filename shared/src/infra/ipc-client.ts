import { z } from 'zod'
import { type IpcEndpoint, type IpcMethod, IpcToChild, isInfraMessage } from './ipc-channel.ts'
import type { Infra, LogStream, LogStreamEntry, SnapshotBus } from './ports.ts'

// The data-plane child's infra in the embedded default: each port method is one request over
// the IPC channel to the parent's in-memory infra (ipc-server.ts), answered by id. A call never
// waits longer than its timeout, and once the channel has closed every call fails at once:
// callers already treat infra as fallible (the snapshot watcher keeps the snapshot it holds, the
// log emitter keeps a bounded buffer and retries), exactly as when Redis is down.

export interface IpcInfraOptions {
  /** How long a call may wait for its answer (default 5000); a blocking read adds its blockMs. */
  timeoutMs?: number
  /** Log events written to the channel that the parent then refused or never got (it went away). */
  onLost?: (events: number, reason: string) => void
}

export class IpcUnavailableError extends Error {
  override name = 'IpcUnavailableError'
}

const nullableString = z.string().nullable()
const entries = z.array(z.object({ id: z.string(), payload: z.string() }))

interface Pending {
  resolve(value: unknown): void
  reject(err: Error): void
  timer: NodeJS.Timeout
}

class IpcConnection {
  private nextId = 1
  private readonly pending = new Map<number, Pending>()
  readonly subscriptions = new Map<number, (version: number) => void>()
  private closed = false
  private readonly stopMessages: () => void
  private readonly stopClose: () => void

  /** Appends written to the channel whose ack has not come back yet. */
  private readonly unacked = new Set<Promise<unknown>>()

  constructor(
    private readonly endpoint: IpcEndpoint,
    private readonly timeoutMs: number,
    private readonly onLost: (events: number, reason: string) => void,
  ) {
    this.stopMessages = endpoint.onMessage((m) => this.onMessage(m))
    this.stopClose = endpoint.onClose(() => this.shut('the parent process closed the channel'))
  }

  get open(): boolean {
    return !this.closed
  }

  call<T>(method: IpcMethod, args: unknown[], schema: z.ZodType<T>, extraMs = 0): Promise<T> {
    if (this.closed) return Promise.reject(new IpcUnavailableError(`infra ${method}: the channel to the parent is closed`))
    const id = this.nextId++
    return new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id)
        reject(new IpcUnavailableError(`infra ${method}: no answer from the parent within ${this.timeoutMs + extraMs} ms`))
      }, this.timeoutMs + extraMs)
      timer.unref()
      this.pending.set(id, { resolve, reject, timer })
      if (!this.endpoint.send({ sy: 'sy-infra', t: 'call', id, method, args })) {
        this.settle(id)?.reject(new IpcUnavailableError(`infra ${method}: the channel to the parent is closed`))
      }
    }).then((value) => schema.parse(value))
  }

  /**
   * Sends a call that settles once written to the channel, not once the parent has answered:
   * what the caller hands over leaves this process's heap at once, however busy the parent is
   * (its answer is still awaited, by `drain`). Rejects when it cannot be written in time.
   */
  sendWritten(method: IpcMethod, args: unknown[], events: number): Promise<void> {
    if (this.closed) return Promise.reject(new IpcUnavailableError(`infra ${method}: the channel to the parent is closed`))
    const id = this.nextId++
    let written = false
    const acked = new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id)
        resolve(null)
      }, this.timeoutMs)
      timer.unref()
      this.pending.set(id, { resolve, reject, timer })
    })
      .catch((err: unknown) => {
        if (written) this.onLost(events, err instanceof Error ? err.message : String(err))
      })
      .finally(() => this.unacked.delete(acked))
    this.unacked.add(acked)
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new IpcUnavailableError(`infra ${method}: not written to the channel within ${this.timeoutMs} ms`)), this.timeoutMs)
      timer.unref()
      const queued = this.endpoint.send({ sy: 'sy-infra', t: 'call', id, method, args }, (err) => {
        clearTimeout(timer)
        if (err) return reject(new IpcUnavailableError(`infra ${method}: ${err.message}`))
        written = true
        resolve()
      })
      if (!queued) {
        clearTimeout(timer)
        this.settle(id)?.reject(new IpcUnavailableError('not sent'))
        reject(new IpcUnavailableError(`infra ${method}: the channel to the parent is closed`))
      }
    })
  }

  /** Waits (up to `timeoutMs`) until the parent has answered every write-settled call. */
  async drain(timeoutMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined
    const deadline = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))
    await Promise.race([Promise.all([...this.unacked]), deadline])
    clearTimeout(timer)
  }

  shut(reason: string): void {
    if (this.closed) return
    this.closed = true
    this.stopMessages()
    this.stopClose()
    for (const id of [...this.pending.keys()]) this.settle(id)?.reject(new IpcUnavailableError(reason))
    this.subscriptions.clear()
  }

  private settle(id: number): Pending | undefined {
    const pending = this.pending.get(id)
    if (!pending) return undefined
    clearTimeout(pending.timer)
    this.pending.delete(id)
    return pending
  }

  private onMessage(message: unknown): void {
    if (!isInfraMessage(message)) return
    const parsed = IpcToChild.safeParse(message)
    if (!parsed.success) return
    const m = parsed.data
    if (m.t === 'version') {
      this.subscriptions.get(m.subscription)?.(m.version)
      return
    }
    const pending = this.settle(m.id)
    if (m.ok) pending?.resolve(m.value)
    else pending?.reject(new Error(m.error))
  }
}

class IpcSnapshotBus implements SnapshotBus {
  constructor(private readonly conn: IpcConnection) {}

  async publish(version: number, json: string): Promise<void> {
    await this.conn.call('snapshots.publish', [version, json], z.null())
  }

  getLatest(): Promise<string | null> {
    return this.conn.call('snapshots.getLatest', [], nullableString)
  }

  get(version: number): Promise<string | null> {
    return this.conn.call('snapshots.get', [version], nullableString)
  }

  latestVersion(): Promise<number | null> {
    return this.conn.call('snapshots.latestVersion', [], z.number().int().nullable())
  }

  async subscribe(onVersion: (version: number) => void) {
    const id = await this.conn.call('snapshots.subscribe', [], z.number().int())
    this.conn.subscriptions.set(id, onVersion)
    return async () => {
      this.conn.subscriptions.delete(id)
      if (this.conn.open) await this.conn.call('snapshots.unsubscribe', [id], z.null()).catch(() => undefined)
    }
  }
}

class IpcLogStream implements LogStream {
  constructor(private readonly conn: IpcConnection) {}

  async append(payloads: readonly string[]): Promise<void> {
    if (payloads.length === 0) return
    // Done once the batch is written to the channel: the emitter's events do not wait in the
    // data plane's heap (outliving scavenges) while the parent is busy. The parent's ack is
    // awaited by close(), so a clean stop still loses nothing.
    await this.conn.sendWritten('logs.append', [[...payloads]], payloads.length)
  }

  read(options: { consumer: string; count: number; blockMs: number; claimIdleMs: number }): Promise<LogStreamEntry[]> {
    return this.conn.call('logs.read', [options], entries, options.blockMs)
  }

  async ack(ids: readonly string[]): Promise<void> {
    await this.conn.call('logs.ack', [[...ids]], z.null())
  }
}

/** The infra ports over `endpoint` (the child's channel to its parent). close() leaves the channel open. */
export function createIpcInfra(endpoint: IpcEndpoint, options: IpcInfraOptions = {}): Infra {
  const timeoutMs = options.timeoutMs ?? 5_000
  const conn = new IpcConnection(endpoint, timeoutMs, options.onLost ?? (() => {}))
  return {
    kind: 'ipc',
    snapshots: new IpcSnapshotBus(conn),
    logs: new IpcLogStream(conn),
    ping: async () => conn.open,
    close: async () => {
      await conn.drain(timeoutMs)
      conn.shut('infra closed')
    },
  }
}
