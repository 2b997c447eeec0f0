import { SseDecoder } from '../upstream/sse.ts'

// What a stream sent its client, kept so that a stream cut short before the provider's usage
// arrived can still be metered (pipeline/estimate-usage.ts). On the hot path this only keeps
// a reference to each write (no copy, no parsing), up to MAX_KEPT_BYTES; the text is read out
// of the frames only at meter time, and only for a stream that did not finish.

/** Beyond this, writes are only counted and the text's size is extrapolated from the kept part. */
const MAX_KEPT_BYTES = 256 * 1024

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
  private readonly frames: (Buffer | string)[] = []
  private keptBytes = 0
  private totalBytes = 0

  add(frame: Buffer | string): void {
    const bytes = typeof frame === 'string' ? Buffer.byteLength(frame) : frame.length
    this.totalBytes += bytes
    if (this.keptBytes >= MAX_KEPT_BYTES) return
    this.frames.push(frame)
    this.keptBytes += bytes
  }

  get empty(): boolean {
    return this.totalBytes === 0
  }

  /** The generated text in the kept frames, and the factor to scale its size by for what was not kept. */
  read(): { text: string; scale: number } {
    const decoder = new SseDecoder()
    const texts: string[] = []
    const events = this.frames.flatMap((frame) => decoder.push(typeof frame === 'string' ? Buffer.from(frame) : frame))
    for (const event of [...events, ...decoder.end()]) {
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
