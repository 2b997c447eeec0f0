// Server-sent events over a byte stream (WHATWG framing), for relaying: every event keeps its
// exact raw bytes so the gateway can forward it untouched, and its `data` and `event` name are
// decoded only when something reads them (a passthrough relay reads a few events of a stream,
// not every delta). Lines end in CRLF, LF or CR; a blank line ends an event; `:` lines are
// comments. Survives arbitrary chunking (a CR at a chunk's end waits for a possible LF).

import { GatewayError } from '../errors.ts'

/** An event still incomplete past this size is no event a provider sends: the stream is failed, not buffered on. */
export const MAX_SSE_EVENT_BYTES = 16 * 1024 * 1024

export interface SseEvent {
  /** The event's bytes as received, including its terminating blank line. */
  readonly raw: Buffer
  /** `data:` lines joined with `\n`; null when the event had none (comments, blank lines). */
  readonly data: string | null
  /** `data !== null`, without decoding it. */
  readonly hasData: boolean
  readonly event: string | null
}

const LF = 0x0a
const CR = 0x0d
const COLON = 0x3a
const SPACE = 0x20
const EMPTY = Buffer.alloc(0)
const DATA = Buffer.from('data')
const EVENT = Buffer.from('event')

/** An SSE event from its data and name, with the raw bytes SSE would carry them in (tests, translations). */
export function sseEvent(data: string | null, event: string | null = null): SseEvent {
  const lines = [...(event === null ? [] : [`event: ${event}`]), ...(data === null ? [] : data.split('\n').map((line) => `data: ${line}`))]
  return { raw: Buffer.from(`${lines.join('\n')}\n\n`), data, hasData: data !== null, event }
}

/**
 * An event found by SseDecoder: offsets into `raw` of its first data line's value, of any
 * further data lines' (rare: most providers send one `data:` line per event), and of its
 * `event:` name. The strings are made on first read.
 */
class ScannedEvent implements SseEvent {
  private decodedData: string | null | undefined = undefined
  private decodedEvent: string | null | undefined = undefined

  constructor(
    readonly raw: Buffer,
    private readonly dataStart: number,
    private readonly dataEnd: number,
    private readonly moreData: number[] | null,
    private readonly eventStart: number,
    private readonly eventEnd: number,
  ) {}

  get hasData(): boolean {
    return this.dataStart >= 0
  }

  get data(): string | null {
    if (this.decodedData === undefined) {
      if (this.dataStart < 0) this.decodedData = null
      else {
        let data = this.raw.toString('utf8', this.dataStart, this.dataEnd)
        const more = this.moreData
        if (more) for (let i = 0; i < more.length; i += 2) data += `\n${this.raw.toString('utf8', more[i], more[i + 1])}`
        this.decodedData = data
      }
    }
    return this.decodedData
  }

  get event(): string | null {
    if (this.decodedEvent === undefined) this.decodedEvent = this.eventStart < 0 ? null : this.raw.toString('utf8', this.eventStart, this.eventEnd)
    return this.decodedEvent
  }
}

const NO_EVENTS: SseEvent[] = []

function tooLarge(): GatewayError {
  return new GatewayError('SY_ERR_UPSTREAM_RESPONSE_TOO_LARGE', `The upstream provider sent a stream event larger than the gateway accepts (${MAX_SSE_EVENT_BYTES} bytes).`)
}

function fieldIs(buf: Buffer, start: number, end: number, name: Buffer): boolean {
  const n = name.length
  if (end - start < n) return false
  for (let i = 0; i < n; i++) if (buf[start + i] !== name[i]) return false
  return end === start + n || buf[start + n] === COLON
}

/** Where a field's value starts, given the end of its name: after the colon and one optional space. */
function valueStart(buf: Buffer, nameEnd: number, lineEnd: number): number {
  const value = nameEnd + 1
  if (value > lineEnd) return lineEnd
  return buf[value] === SPACE ? value + 1 : value
}

export class SseDecoder {
  private buf: Buffer = EMPTY
  /** Where the next line starts, relative to the current event's first byte (buf[0]). */
  private lineStart = 0
  private dataStart = -1
  private dataEnd = -1
  private moreData: number[] | null = null
  private eventStart = -1
  private eventEnd = -1
  /** Whether buf holds a CR at or after lineStart (else lines end only in LF: one search per line). */
  private crSeen = false
  /** Chunks after buf in which no line can end, not joined to it yet (see push). */
  private held: Buffer[] | null = null
  private heldBytes = 0

  push(chunk: Buffer): SseEvent[] {
    if (this.buf.length > 0 && this.cannotEndLine(chunk)) {
      // A long event arriving in many chunks: held, and joined once when its line can end
      // (joining every chunk to the ones before is quadratic in the event's size).
      this.held ??= []
      this.held.push(chunk)
      this.heldBytes += chunk.length
      if (this.buf.length + this.heldBytes > MAX_SSE_EVENT_BYTES) throw tooLarge()
      return NO_EVENTS
    }
    if (this.buf.length === 0) {
      this.buf = chunk
      this.crSeen = chunk.indexOf(CR) !== -1
    } else {
      this.crSeen ||= chunk.indexOf(CR) !== -1
      this.buf = Buffer.concat(this.held ? [this.buf, ...this.held, chunk] : [this.buf, chunk])
      this.held = null
      this.heldBytes = 0
    }
    const events = this.drain(false)
    if (this.buf.length > MAX_SSE_EVENT_BYTES) throw tooLarge()
    return events
  }

  /** No line can end in `chunk`: it has no LF or CR, and no CR before it waits for a possible LF. */
  private cannotEndLine(chunk: Buffer): boolean {
    if (this.held === null && this.buf[this.buf.length - 1] === CR) return false
    return chunk.indexOf(LF) === -1 && chunk.indexOf(CR) === -1
  }

  /** The upstream ended: a trailing event without its blank line is returned as-is. */
  end(): SseEvent[] {
    if (this.held) {
      this.buf = Buffer.concat([this.buf, ...this.held])
      this.held = null
      this.heldBytes = 0
    }
    const events = this.drain(true)
    if (this.buf.length === 0) return events
    if (this.lineStart < this.buf.length) this.field(this.lineStart, this.buf.length)
    const last = this.take(this.buf.length)
    return events === NO_EVENTS ? [last] : [...events, last]
  }

  private drain(ended: boolean): SseEvent[] {
    let events = NO_EVENTS
    for (;;) {
      let end: number
      let next: number
      if (!this.crSeen) {
        end = this.buf.indexOf(LF, this.lineStart)
        if (end === -1) return events
        next = end + 1
      } else {
        end = this.crLineEnd(ended)
        if (end === -1) return events
        next = this.buf[end] === CR && this.buf[end + 1] === LF ? end + 2 : end + 1
      }
      if (end === this.lineStart) {
        if (events === NO_EVENTS) events = [this.take(next)]
        else events.push(this.take(next))
      } else {
        this.field(this.lineStart, end)
        this.lineStart = next
      }
    }
  }

  /** The end of the current line when lines may end in CR; -1 when it is not complete yet. */
  private crLineEnd(ended: boolean): number {
    const buf = this.buf
    const lf = buf.indexOf(LF, this.lineStart)
    const cr = buf.indexOf(CR, this.lineStart)
    if (cr === -1 || (lf !== -1 && lf < cr)) return lf
    if (cr + 1 < buf.length || ended) return cr
    return -1
  }

  private field(start: number, end: number): void {
    const buf = this.buf
    if (buf[start] === COLON) return
    if (fieldIs(buf, start, end, DATA)) {
      const value = valueStart(buf, start + DATA.length, end)
      if (this.dataStart < 0) {
        this.dataStart = value
        this.dataEnd = end
      } else (this.moreData ??= []).push(value, end)
    } else if (fieldIs(buf, start, end, EVENT)) {
      this.eventStart = valueStart(buf, start + EVENT.length, end)
      this.eventEnd = end
    }
  }

  private take(end: number): SseEvent {
    const buf = this.buf
    // A chunk that is exactly one event (a chunked upstream often sends one per HTTP chunk) is the event's raw bytes as is.
    const raw = end === buf.length ? buf : buf.subarray(0, end)
    const event = new ScannedEvent(raw, this.dataStart, this.dataEnd, this.moreData, this.eventStart, this.eventEnd)
    this.buf = end >= buf.length ? EMPTY : buf.subarray(end)
    if (this.buf.length === 0) this.crSeen = false
    this.lineStart = 0
    this.dataStart = -1
    this.dataEnd = -1
    this.moreData = null
    this.eventStart = -1
    this.eventEnd = -1
    return event
  }
}
