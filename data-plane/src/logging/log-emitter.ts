import { type RequestLogEvent, serializeRequestLogEvent } from '@switchyard/shared/events'
import type { LogStream } from '@switchyard/shared/infra'
import type { FastifyBaseLogger } from 'fastify'

// Request log events leave the hot path here: `emit` only serializes and buffers; a timer
// flushes batches to the log stream — after `flushIntervalMs` when traffic is light, at once
// when `eagerBatch` events are waiting. (Under load, events that waited the full interval
// outlived two young-generation GCs and were copied into the old generation, the data plane's
// main source of heap growth.) While the stream is unavailable the buffer keeps the newest
// events up to a bound and retries with back-off; `close` flushes what is left.

export interface LogEmitterOptions {
  logs: LogStream
  log: Pick<FastifyBaseLogger, 'warn' | 'error'>
  flushIntervalMs?: number
  /** This many waiting events are sent without waiting for the interval. */
  eagerBatch?: number
  batchSize?: number
  maxBuffered?: number
}

export class LogEmitter {
  private buffer: string[] = []
  private timer: NodeJS.Timeout | null = null
  private timerDelayMs = 0
  private flushing: Promise<void> | null = null
  private failures = 0
  private dropped = 0
  private droppedEver = 0
  private readonly flushIntervalMs: number
  private readonly eagerBatch: number
  private readonly batchSize: number
  private readonly maxBuffered: number

  constructor(private readonly options: LogEmitterOptions) {
    this.flushIntervalMs = options.flushIntervalMs ?? 50
    this.eagerBatch = options.eagerBatch ?? 64
    this.batchSize = options.batchSize ?? 256
    this.maxBuffered = options.maxBuffered ?? 50_000
  }

  emit(event: RequestLogEvent): void {
    this.buffer.push(serializeRequestLogEvent(event))
    this.trim()
    if (this.failures > 0) this.schedule(Math.min(5_000, this.flushIntervalMs * 2 ** this.failures))
    else if (this.buffer.length >= this.eagerBatch && this.timerDelayMs > 0 && !this.flushing) this.reschedule(0)
    else this.schedule(this.flushIntervalMs)
  }

  /** Flushes everything buffered; gives up after `timeoutMs` (the stream may be down). */
  async close(timeoutMs = 2_000): Promise<void> {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    const deadline = Date.now() + timeoutMs
    while (Date.now() < deadline) {
      // A batch in flight is out of the buffer, and comes back to it if its append fails.
      if (this.flushing) {
        await this.flushing
        continue
      }
      if (this.buffer.length === 0) break
      const before = this.buffer.length
      await this.flush()
      if (this.buffer.length >= before) await new Promise((r) => setTimeout(r, 50))
    }
    if (this.buffer.length > 0) this.options.log.error({ lost: this.buffer.length }, 'request logs: could not flush at shutdown')
  }

  /** Events dropped since start because the buffer was full (the stream down for long). */
  get droppedTotal(): number {
    return this.droppedEver
  }

  /** Keeps the newest events when the stream has been down for long; counts, and says so once per outage. */
  private trim(): void {
    const over = this.buffer.length - this.maxBuffered
    if (over > 0) {
      this.buffer.splice(0, over)
      if (this.dropped === 0) this.options.log.error({ maxBuffered: this.maxBuffered }, 'request logs: buffer full, dropping the oldest events')
      this.dropped += over
      this.droppedEver += over
    }
  }

  private reschedule(delayMs: number): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    this.schedule(delayMs)
  }

  private schedule(delayMs: number): void {
    if (this.timer) return
    this.timerDelayMs = delayMs
    this.timer = setTimeout(() => {
      this.timer = null
      void this.flush().then(() => {
        if (this.buffer.length > 0) this.schedule(this.failures === 0 ? 0 : Math.min(5_000, this.flushIntervalMs * 2 ** this.failures))
      })
    }, delayMs)
    this.timer.unref()
  }

  private flush(): Promise<void> {
    this.flushing ??= this.flushBatch().finally(() => {
      this.flushing = null
    })
    return this.flushing
  }

  private async flushBatch(): Promise<void> {
    const batch = this.buffer.splice(0, this.batchSize)
    if (batch.length === 0) return
    try {
      await this.options.logs.append(batch)
      if (this.failures > 0 || this.dropped > 0) {
        this.options.log.warn({ dropped: this.dropped }, 'request logs: stream reachable again')
      }
      this.failures = 0
      this.dropped = 0
    } catch (err) {
      this.buffer = batch.concat(this.buffer)
      this.trim()
      this.failures = Math.min(this.failures + 1, 10)
      if (this.failures === 1) {
        this.options.log.warn({ err: err instanceof Error ? err.message : String(err), buffered: this.buffer.length }, 'request logs: append failed; retrying')
      }
    }
  }
}
