import { describe, expect, it } from 'vitest'
import { type SseEvent, SseDecoder } from './sse.ts'

function decodeChunked(input: Buffer, cuts: number[]): SseEvent[] {
  const decoder = new SseDecoder()
  const events: SseEvent[] = []
  let from = 0
  for (const cut of [...cuts, input.length]) {
    events.push(...decoder.push(input.subarray(from, cut)))
    from = cut
  }
  events.push(...decoder.end())
  return events
}

function randomCuts(length: number, random: () => number): number[] {
  const cuts = new Set<number>()
  const count = Math.floor(random() * Math.min(length, 40))
  for (let i = 0; i < count; i++) cuts.add(1 + Math.floor(random() * (length - 1)))
  return [...cuts].sort((a, b) => a - b)
}

// A small deterministic PRNG so a failure is reproducible from its seed.
function mulberry32(seed: number): () => number {
  let a = seed
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const summary = (events: SseEvent[]) => events.map((e) => ({ raw: e.raw.toString('utf8'), data: e.data, event: e.event }))

const STREAM = [
  ': keep-alive comment\n\n',
  'data: {"a":1}\n\n',
  'event: message\r\ndata: first line\r\ndata: second line ünïcødé 🚀\r\n\r\n',
  'data:{"no":"space"}\r\r',
  'id: 7\nretry: 100\ndata: x\n: inline comment\ndata: y\n\n',
  '\n',
  'data: [DONE]\n\n',
].join('')

describe('SseDecoder', () => {
  it('decodes events, keeping their raw bytes', () => {
    const events = decodeChunked(Buffer.from(STREAM), [])
    expect(events.map((e) => e.data)).toEqual([null, '{"a":1}', 'first line\nsecond line ünïcødé 🚀', '{"no":"space"}', 'x\ny', null, '[DONE]'])
    expect(events[2]?.event).toBe('message')
    expect(Buffer.concat(events.map((e) => e.raw)).toString('utf8')).toBe(STREAM)
  })

  it('yields the same events for 1-byte fragments', () => {
    const input = Buffer.from(STREAM)
    const everyByte = Array.from({ length: input.length - 1 }, (_, i) => i + 1)
    expect(summary(decodeChunked(input, everyByte))).toEqual(summary(decodeChunked(input, [])))
  })

  it('yields the same events for random chunk boundaries (property)', () => {
    const input = Buffer.from(STREAM.repeat(3))
    const expected = summary(decodeChunked(input, []))
    for (let seed = 1; seed <= 500; seed++) {
      const cuts = randomCuts(input.length, mulberry32(seed))
      expect(summary(decodeChunked(input, cuts)), `seed ${seed}`).toEqual(expected)
    }
  })

  it('returns a trailing event that lacks its blank line at the end', () => {
    const events = decodeChunked(Buffer.from('data: a\n\ndata: partial\n'), [])
    expect(events.map((e) => e.data)).toEqual(['a', 'partial'])
    expect(events[1]?.raw.toString()).toBe('data: partial\n')
  })

  it('treats a CR at the very end as a line end once the stream ends', () => {
    const events = decodeChunked(Buffer.from('data: a\r\r'), [8])
    expect(events.map((e) => e.data)).toEqual(['a'])
  })
})
