import { randomBytes } from 'node:crypto'

// What every fake provider shares: how a fake answers (FakeReply, implemented by server.ts),
// random ids, and deterministic text and token counts derived from the request.

export interface FakeReply {
  /** Writes bytes to the client and records them. */
  write(bytes: string | Buffer): void
  end(bytes?: string | Buffer): void
  head(status: number, headers: Record<string, string>): void
  /** Resolves false when the client went away before `ms` elapsed. */
  sleep(ms: number): Promise<boolean>
}

/** `slow-stream`: this many content events, one every intervalMs. */
export const SLOW_STREAM = { events: 40, intervalMs: 50 } as const

export const hex = (n: number) => randomBytes(n).toString('hex')

interface FakePart {
  type?: unknown
  text?: unknown
  image_url?: { url?: unknown }
  source?: { type?: unknown; url?: unknown; media_type?: unknown; data?: unknown }
}

/** How the fakes echo an image they received, so tests can see what arrived upstream. */
export function describeImage(image: { url: string } | { mediaType: string; data: string }): string {
  return 'url' in image ? `[image url=${image.url}]` : `[image ${image.mediaType} base64 length=${image.data.length}]`
}

function partText(part: FakePart): string {
  if (part?.type === 'text' && typeof part.text === 'string') return part.text
  const url = part?.image_url?.url
  if (part?.type === 'image_url' && typeof url === 'string') {
    const data = /^data:([^;,]+);base64,(.*)$/s.exec(url)
    return data?.[1] && data[2] !== undefined ? describeImage({ mediaType: data[1], data: data[2] }) : describeImage({ url })
  }
  const source = part?.source
  if (part?.type === 'image' && source?.type === 'url' && typeof source.url === 'string') return describeImage({ url: source.url })
  if (part?.type === 'image' && typeof source?.media_type === 'string' && typeof source.data === 'string') {
    return describeImage({ mediaType: source.media_type, data: source.data })
  }
  return ''
}

/** The text of a message's content: a string, or its text parts (images described) joined. */
export function textOf(content: unknown): string {
  if (typeof content === 'string') return content
  if (Array.isArray(content)) return (content as FakePart[]).map(partText).join('')
  return ''
}

/** A deterministic value matching a JSON schema (objects, arrays, enums, scalars): structured output. */
export function exampleOf(schema: unknown, text: string): unknown {
  const s = (typeof schema === 'object' && schema !== null ? schema : {}) as { type?: unknown; properties?: Record<string, unknown>; items?: unknown; enum?: unknown[] }
  if (Array.isArray(s.enum) && s.enum.length > 0) return s.enum[0]
  const type = Array.isArray(s.type) ? s.type[0] : s.type
  if (type === 'object' || s.properties) {
    return Object.fromEntries(Object.entries(s.properties ?? {}).map(([name, sub]) => [name, exampleOf(sub, text)]))
  }
  if (type === 'array') return [exampleOf(s.items, text)]
  if (type === 'integer' || type === 'number') return 42
  if (type === 'boolean') return true
  if (type === 'null') return null
  return text
}

/** Splits a string into `count` roughly equal pieces (streamed arguments and text). */
export function pieces(text: string, count: number): string[] {
  const size = Math.max(1, Math.ceil(text.length / count))
  const out: string[] = []
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size))
  return out.length > 0 ? out : ['']
}

/** Deterministic token counts: one token per started group of four characters. */
export function fakeTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4))
}

/** The slow-stream content pieces (`tick0 `, `tick1 `, …). */
export function slowPieces(): string[] {
  return Array.from({ length: SLOW_STREAM.events }, (_, i) => `tick${i} `)
}

interface FakeMessage {
  role?: unknown
  content?: unknown
}

/** The fakes' answer: the last user message echoed; the prompt is every message's text (after `system`). */
export function echo(messages: unknown, system?: unknown): { prompt: string; content: string } {
  const list = Array.isArray(messages) ? (messages as FakeMessage[]) : []
  const texts = list.map((m) => textOf(m.content))
  const prompt = (system === undefined ? texts : [textOf(system), ...texts]).join('\n')
  const lastUser = [...list].reverse().find((m) => m.role === 'user')
  return { prompt, content: lastUser ? textOf(lastUser.content) : 'Hello!' }
}
