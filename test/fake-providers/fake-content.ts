import { randomBytes } from 'node:crypto'

// What every fake provider shares: how a fake answers (FakeReply, implemented by server.ts),
// random ids, and deterministic text and token counts derived from the request.

export interface FakeReply {
  /** Writes bytes to the client and records them. */
  write(bytes: string): void
  end(bytes?: string): void
  head(status: number, headers: Record<string, string>): void
  /** Resolves false when the client went away before `ms` elapsed. */
  sleep(ms: number): Promise<boolean>
}

/** `slow-stream`: this many content events, one every intervalMs. */
export const SLOW_STREAM = { events: 40, intervalMs: 50 } as const

export const hex = (n: number) => randomBytes(n).toString('hex')

/** The text of a message's content: a string, or the `text` parts of a content-part array. */
export function textOf(content: unknown): string {
  if (typeof content === 'string') return content
  if (Array.isArray(content)) {
    return content
      .map((part: { type?: unknown; text?: unknown }) => (part?.type === 'text' && typeof part.text === 'string' ? part.text : ''))
      .join('')
  }
  return ''
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
