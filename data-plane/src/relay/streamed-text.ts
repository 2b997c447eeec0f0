import { SseDecoder } from '../upstream/sse.ts'

// What a stream sent its client, kept so that a stream cut short before the provider's usage
// arrived can still be metered (pipeline/estimate-usage.ts). On the hot path this only copies
// each write into one buffer of the stream's own (no parsing), up to MAX_KEPT_BYTES; the text
// is read out of it only at meter time, and only for a stream that did not finish. A copy, not
// a reference: a write is often a view into a larger socket-read buffer, which a reference
// would keep alive for the whole stream.

/** Beyond this, writes are only counted and the text's size is extrapolated from the kept part. */
const MAX_KEPT_BYTES = 32 * 1024
const FIRST_BYTES = 4 * 1024

/** Members that carry generated text, in every client dialect's stream (OpenAI chat, Anthropic Messages, Responses). */
const TEXT_MEMBERS = new Set(['content', 'text', 'delta', 'partial_json', 'arguments', 'thinking', 'reasoning_content', 'refusal'])

/** Events that repeat text sent before them (the Responses API's `*.done` and `response.completed`). */
function repeatsEarlierText(type: unknown): boolean {
  return typeof type === 'string' && (type.endsWith('.done') || type === 'response.completed' || type === 'response.incomplete')
}

function collect(value: unknown, texts: string[], member: string | null): void {
  if (typeof value === 'string') {
    if (member !== null && TEXT_MEMBERS.has(member)) texts.push(value)
  } else if (Array.isArray(value)) {
    for (const item of value) collect(item, texts, member)
  } else if (typeof value === 'object' && value !== null) {
    for (const [name, field] of Object.entries(value)) collect(field, texts, name)
  }
}

export class StreamedText {
  private kept: Buffer | null = null
  private keptBytes = 0
  private totalBytes = 0

  add(frame: Buffer | string): void {
    const bytes = typeof frame === 'string' ? Buffer.byteLength(frame) : frame.length
    this.totalBytes += bytes
    if (this.keptBytes >= MAX_KEPT_BYTES) return
    const room = Math.min(bytes, MAX_KEPT_BYTES - this.keptBytes)
    const kept = this.room(this.keptBytes + room)
    if (typeof frame === 'string') kept.write(frame, this.keptBytes, room, 'utf8')
    else frame.copy(kept, this.keptBytes, 0, room)
    this.keptBytes += room
  }

  /** The kept buffer, grown (doubling, up to MAX_KEPT_BYTES) to hold `size` bytes. */
  private room(size: number): Buffer {
    const kept = this.kept
    if (kept && kept.length >= size) return kept
    let length = kept ? kept.length : FIRST_BYTES
    while (length < size) length *= 2
    const grown = Buffer.allocUnsafe(Math.min(length, MAX_KEPT_BYTES))
    if (kept) kept.copy(grown, 0, 0, this.keptBytes)
    this.kept = grown
    return grown
  }

  get empty(): boolean {
    return this.totalBytes === 0
  }

  /** The generated text in the kept bytes, and the factor to scale its size by for what was not kept. */
  read(): { text: string; scale: number } {
    const decoder = new SseDecoder()
    const texts: string[] = []
    const bytes = this.kept ? this.kept.subarray(0, this.keptBytes) : Buffer.alloc(0)
    for (const event of [...decoder.push(bytes), ...decoder.end()]) {
      if (!event.hasData) continue
      let json: unknown
      try {
        json = JSON.parse(event.data ?? '')
      } catch {
        continue
      }
      if (!repeatsEarlierText((json as { type?: unknown } | null)?.type)) collect(json, texts, null)
    }
    return { text: texts.join(''), scale: this.keptBytes === 0 ? 1 : this.totalBytes / this.keptBytes }
  }
}
