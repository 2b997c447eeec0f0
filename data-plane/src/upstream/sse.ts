// Server-sent events over a byte stream (WHATWG framing), for relaying: every event keeps its
// exact raw bytes so the gateway can forward it untouched, and its `data` is decoded so the
// gateway can read it. Lines end in CRLF, LF or CR; a blank line ends an event; `:` lines are
// comments. Survives arbitrary chunking (a CR at a chunk's end waits for a possible LF).

export interface SseEvent {
  /** The event's bytes as received, including its terminating blank line. */
  raw: Buffer
  /** `data:` lines joined with `\n`; null when the event had none (comments, blank lines). */
  data: string | null
  event: string | null
}

const LF = 0x0a
const CR = 0x0d
const EMPTY = Buffer.alloc(0)

export class SseDecoder {
  private buf: Buffer = EMPTY
  /** Where the next line starts, relative to the current event's first byte (buf[0]). */
  private lineStart = 0
  private dataLines: string[] = []
  private eventName: string | null = null

  push(chunk: Buffer): SseEvent[] {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk])
    return this.drain(false)
  }

  /** The upstream ended: a trailing event without its blank line is returned as-is. */
  end(): SseEvent[] {
    const events = this.drain(true)
    if (this.buf.length > 0) {
      if (this.lineStart < this.buf.length) this.field(this.buf.toString('utf8', this.lineStart))
      events.push(this.take(this.buf.length))
    }
    return events
  }

  private drain(ended: boolean): SseEvent[] {
    const events: SseEvent[] = []
    for (;;) {
      const eol = this.nextLineEnd(ended)
      if (eol === null) return events
      const [end, next] = eol
      if (end === this.lineStart) {
        events.push(this.take(next))
      } else {
        this.field(this.buf.toString('utf8', this.lineStart, end))
        this.lineStart = next
      }
    }
  }

  /** [end of line, start of the next line], or null when the line is not complete yet. */
  private nextLineEnd(ended: boolean): [number, number] | null {
    const lf = this.buf.indexOf(LF, this.lineStart)
    const cr = this.buf.indexOf(CR, this.lineStart)
    if (cr === -1 || (lf !== -1 && lf < cr)) return lf === -1 ? null : [lf, lf + 1]
    if (cr + 1 < this.buf.length) return [cr, this.buf[cr + 1] === LF ? cr + 2 : cr + 1]
    return ended ? [cr, cr + 1] : null
  }

  private field(line: string): void {
    if (line.startsWith(':')) return
    const colon = line.indexOf(':')
    const name = colon === -1 ? line : line.slice(0, colon)
    let value = colon === -1 ? '' : line.slice(colon + 1)
    if (value.startsWith(' ')) value = value.slice(1)
    if (name === 'data') this.dataLines.push(value)
    else if (name === 'event') this.eventName = value
  }

  private take(end: number): SseEvent {
    const event: SseEvent = {
      raw: this.buf.subarray(0, end),
      data: this.dataLines.length > 0 ? this.dataLines.join('\n') : null,
      event: this.eventName,
    }
    this.buf = end >= this.buf.length ? EMPTY : this.buf.subarray(end)
    this.lineStart = 0
    this.dataLines = []
    this.eventName = null
    return event
  }
}
