import { type Dispatcher, Pool } from 'undici'

// The load generator (runs in the bench's own process, pinned to the driver core).
// Open loop: requests are issued on a fixed schedule whatever the target does, and latency is
// measured from each request's *scheduled* send time, so a target that falls behind shows its
// queueing instead of slowing the generator down (no coordinated omission). Closed loop: N
// connections, each sending its next request when the previous one is done, for max throughput.
// Time to first byte = the first body byte (for SSE: the first event); total = the last byte.

export interface RequestSpec {
  origin: string
  path: string
  headers: Record<string, string>
  body: Buffer
  /** Bytes a complete answer ends with (SSE end marker), or null for JSON. */
  endMarker: Buffer | null
}

export interface CellResult {
  /** Requests whose latency counts (scheduled/started inside the measured window). */
  measured: number
  ok: number
  errors: number
  errorKinds: Record<string, number>
  /** Successful answers per second over the measured window. */
  rps: number
  ttfbMs: Float64Array
  totalMs: Float64Array
  windowS: number
}

const REQUEST_TIMEOUT_MS = 15_000
/** After an open-loop schedule ends, answers still outstanding after this count as errors. */
const DRAIN_MS = 5_000

class Recorder {
  ttfb = new Float64Array(4096)
  total = new Float64Array(4096)
  n = 0
  ok = 0
  errors = 0
  errorKinds: Record<string, number> = {}

  add(ttfb: number, total: number): void {
    if (this.n === this.ttfb.length) {
      const grow = (a: Float64Array) => {
        const b = new Float64Array(a.length * 2)
        b.set(a)
        return b
      }
      this.ttfb = grow(this.ttfb)
      this.total = grow(this.total)
    }
    this.ttfb[this.n] = ttfb
    this.total[this.n] = total
    this.n += 1
    this.ok += 1
  }

  fail(kind: string): void {
    this.errors += 1
    this.errorKinds[kind] = (this.errorKinds[kind] ?? 0) + 1
  }

  result(windowS: number, okInWindow = this.ok): CellResult {
    const ttfbMs = this.ttfb.slice(0, this.n).sort()
    const totalMs = this.total.slice(0, this.n).sort()
    return {
      measured: this.ok + this.errors,
      ok: this.ok,
      errors: this.errors,
      errorKinds: this.errorKinds,
      rps: Math.round(okInWindow / windowS),
      ttfbMs,
      totalMs,
      windowS,
    }
  }
}

function endsWith(last: Buffer | null, previous: Buffer | null, marker: Buffer): boolean {
  if (!last) return false
  if (last.length >= marker.length) return last.subarray(last.length - marker.length).equals(marker)
  const joined = previous ? Buffer.concat([previous, last]) : last
  return joined.length >= marker.length && joined.subarray(joined.length - marker.length).equals(marker)
}

/**
 * Sends one request; `done` gets (first byte, last byte) times or an error kind. Times are
 * performance.now() values; the caller subtracts the start it wants (scheduled or actual).
 */
function fire(pool: Pool, spec: RequestSpec, done: (err: string | null, firstAt: number, endAt: number) => void): void {
  let status = 0
  let firstAt = -1
  let last: Buffer | null = null
  let previous: Buffer | null = null
  let settled = false
  // undici's (legacy) dispatch handler: the lowest-overhead way to see the first and last byte.
  const handler: Dispatcher.DispatchHandler = {
    onConnect() {},
    onHeaders(statusCode) {
      status = statusCode
      return true
    },
    onData(chunk) {
      if (firstAt < 0) firstAt = performance.now()
      previous = last
      last = chunk
      return true
    },
    onComplete() {
      if (settled) return
      settled = true
      const endAt = performance.now()
      if (status !== 200) return done(`http_${status}`, firstAt, endAt)
      if (spec.endMarker && !endsWith(last, previous, spec.endMarker)) return done('stream_incomplete', firstAt, endAt)
      done(null, firstAt < 0 ? endAt : firstAt, endAt)
    },
    onError(err) {
      if (settled) return
      settled = true
      const code = (err as { code?: unknown }).code
      done(typeof code === 'string' ? code : err.name, firstAt, performance.now())
    },
  }
  pool.dispatch(
    {
      path: spec.path,
      method: 'POST',
      headers: spec.headers,
      body: spec.body,
      headersTimeout: REQUEST_TIMEOUT_MS,
      bodyTimeout: REQUEST_TIMEOUT_MS,
    },
    handler,
  )
}

function newPool(origin: string, connections: number): Pool {
  return new Pool(origin, { connections, pipelining: 1, keepAliveTimeout: 30_000, connect: { timeout: 10_000 } })
}

async function closePool(pool: Pool): Promise<void> {
  await pool.destroy().catch(() => {})
}

export interface OpenLoopOptions {
  rate: number
  warmupMs: number
  measureMs: number
  connections?: number
}

export async function openLoop(spec: RequestSpec, options: OpenLoopOptions): Promise<CellResult> {
  const { rate, warmupMs, measureMs } = options
  const pool = newPool(spec.origin, options.connections ?? 256)
  const rec = new Recorder()
  const interval = 1000 / rate
  const warmCount = Math.round((rate * warmupMs) / 1000)
  const totalCount = warmCount + Math.round((rate * measureMs) / 1000)
  const t0 = performance.now() + 5
  let inFlight = 0
  let issued = 0
  let drained: (() => void) | null = null

  const issue = (index: number) => {
    const scheduled = t0 + index * interval
    const counts = index >= warmCount
    inFlight += 1
    fire(pool, spec, (err, firstAt, endAt) => {
      inFlight -= 1
      if (counts) {
        if (err) rec.fail(err)
        else rec.add(firstAt - scheduled, endAt - scheduled)
      }
      if (inFlight === 0 && drained) drained()
    })
  }

  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now()
      while (issued < totalCount && t0 + issued * interval <= now) issue(issued++)
      if (issued < totalCount) setTimeout(tick, 1)
      else resolve()
    }
    setTimeout(tick, 5)
  })
  if (inFlight > 0) {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, DRAIN_MS)
      drained = () => {
        clearTimeout(timer)
        resolve()
      }
    })
  }
  const outstanding = inFlight
  await closePool(pool)
  // Answers still missing after the drain: the aborted ones report through fire(); make sure
  // they count even if undici does not call back.
  const result = rec.result(measureMs / 1000)
  if (outstanding > 0 && result.measured < totalCount - warmCount) {
    const missing = totalCount - warmCount - result.measured
    result.errors += missing
    result.measured += missing
    result.errorKinds.not_answered = (result.errorKinds.not_answered ?? 0) + missing
  }
  return result
}

export interface ClosedLoopOptions {
  concurrency: number
  warmupMs: number
  measureMs: number
}

export async function closedLoop(spec: RequestSpec, options: ClosedLoopOptions): Promise<CellResult> {
  const { concurrency, warmupMs, measureMs } = options
  const pool = newPool(spec.origin, concurrency)
  const rec = new Recorder()
  const start = performance.now()
  const windowStart = start + warmupMs
  const windowEnd = windowStart + measureMs
  let okInWindow = 0
  let inFlight = 0

  await new Promise<void>((resolve) => {
    const loop = () => {
      const sentAt = performance.now()
      inFlight += 1
      fire(pool, spec, (err, firstAt, endAt) => {
        inFlight -= 1
        const counts = sentAt >= windowStart && sentAt < windowEnd
        if (counts) {
          if (err) rec.fail(err)
          else rec.add(firstAt - sentAt, endAt - sentAt)
        }
        if (!err && endAt >= windowStart && endAt < windowEnd) okInWindow += 1
        if (endAt < windowEnd) {
          // A failing target answers at once: do not spin, retry after a beat.
          if (err) setTimeout(loop, 5)
          else loop()
        } else if (inFlight === 0) resolve()
      })
    }
    for (let i = 0; i < concurrency; i++) loop()
    setTimeout(resolve, warmupMs + measureMs + DRAIN_MS)
  })
  await closePool(pool)
  return rec.result(measureMs / 1000, okInWindow)
}

export function percentile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return Number.NaN
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))
  return sorted[rank] as number
}
