import { type FakeReply, SLOW_STREAM } from './fake-content.ts'

// The scripted failures every fake supports (issue #3), chosen by the requested model id (Azure:
// the deployment). Each fake renders the status failures and the in-band stream error in its
// own provider's wire format; what happens to the bytes on the way out (pacing, 1-byte
// chunking, cuts, stalls, late headers) is the same for all of them, so it lives here, applied
// by `scriptedReply` to whatever the fake writes.

export const FAKE_SCRIPTS = {
  /** 429 with `retry-after` (OpenAI/Azure also `retry-after-ms`). */
  error429: 'error-429',
  /** Overloaded: Anthropic 529 `overloaded_error`; the others 503. */
  overloaded: 'overloaded',
  error503: 'error-503',
  error500: 'error-500',
  /** HTTP 200 whose first stream event is the provider's in-band error. */
  errorInStream: 'error-in-stream',
  /** The stream ends (cleanly, at the TCP level) after a few events, without its end marker. */
  cutStream: 'cut-stream',
  /** One event every SLOW_STREAM.intervalMs. */
  slowStream: 'slow-stream',
  /** The answer written one byte at a time. */
  byteChunks: 'byte-chunks',
  /** The status line and headers come only after SLOW_HEADERS_MS. */
  slowHeaders: 'slow-headers',
  /** A few events, then nothing (the connection stays open) until the client leaves. */
  stallStream: 'stall-stream',
} as const

export const SLOW_HEADERS_MS = 3_000
/** `stall-stream` writes this many times, then stalls. */
export const STALL_AFTER_WRITES = 2
const STALL_MS = 120_000

export type StatusFailure = 'rate-limited' | 'overloaded' | 'server-error'

const STATUS_FAILURES: Readonly<Record<string, StatusFailure>> = {
  [FAKE_SCRIPTS.error429]: 'rate-limited',
  [FAKE_SCRIPTS.overloaded]: 'overloaded',
  [FAKE_SCRIPTS.error503]: 'overloaded',
  [FAKE_SCRIPTS.error500]: 'server-error',
}

/** The status failure the model id scripts, if any (answered before any body byte). */
export function statusFailureOf(model: string): StatusFailure | null {
  return STATUS_FAILURES[model] ?? null
}

type Mode = 'slow-headers' | 'byte-chunks' | 'slow-stream' | 'stall-stream' | 'cut-stream'
const MODES: readonly string[] = [FAKE_SCRIPTS.slowHeaders, FAKE_SCRIPTS.byteChunks, FAKE_SCRIPTS.slowStream, FAKE_SCRIPTS.stallStream, FAKE_SCRIPTS.cutStream]
const isMode = (model: string): model is Mode => MODES.includes(model)

const nextTick = () => new Promise<void>((resolve) => setImmediate(resolve))

/** Writes one event under the script; false once the exchange must go no further (cut, stalled, client gone). */
function scriptedSender(reply: FakeReply, mode: Mode, cutAfter: number): (bytes: string | Buffer) => Promise<boolean> {
  let writes = 0
  return async (bytes) => {
    writes += 1
    if (mode === 'cut-stream' && writes > cutAfter) {
      reply.end()
      return false
    }
    if (mode === 'stall-stream' && writes > STALL_AFTER_WRITES) {
      await reply.sleep(STALL_MS)
      return false
    }
    if (mode === 'slow-stream' && writes > 1 && !(await reply.sleep(SLOW_STREAM.intervalMs))) return false
    if (mode !== 'byte-chunks') {
      reply.write(bytes)
      return true
    }
    const buffer = Buffer.from(bytes)
    for (let i = 0; i < buffer.length; i++) {
      reply.write(buffer.subarray(i, i + 1))
      await nextTick()
    }
    return true
  }
}

/**
 * `reply`, with the model's byte-level script applied (or `reply` itself). Writes are queued in
 * order; each `write`/`end` call is one event for counting (`cut-stream` ends after `cutAfter`).
 */
export function scriptedReply(reply: FakeReply, model: string, options: { cutAfter: number } = { cutAfter: 3 }): FakeReply {
  if (!isMode(model)) return reply
  const mode = model
  const send = scriptedSender(reply, mode, options.cutAfter)
  let chain: Promise<boolean> = Promise.resolve(true)
  const queue = (step: () => Promise<boolean>): Promise<boolean> => (chain = chain.then((go) => (go ? step() : false)))
  return {
    head(status, headers) {
      void queue(async () => {
        if (mode === 'slow-headers' && !(await reply.sleep(SLOW_HEADERS_MS))) return false
        reply.head(status, headers)
        return true
      })
    },
    write(bytes) {
      void queue(() => send(bytes))
    },
    end(bytes) {
      void queue(async () => {
        if (bytes !== undefined && !(await send(bytes))) return false
        reply.end()
        return true
      })
    },
    sleep: (ms) => queue(() => reply.sleep(ms)),
  }
}
