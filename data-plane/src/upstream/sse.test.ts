import { describe, expect, it } from 'vitest'
import { MAX_SSE_EVENT_BYTES, type SseEvent, SseDecoder } from './sse.ts'
import { mulberry32, randomCuts } from '../testing/rechunk.ts'

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
      const cuts = randomCuts(input.length, mulberry32(seed), 40)
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

describe('an event too large to be one', () => {
  it('fails once an incomplete event passes MAX_SSE_EVENT_BYTES, whether it came in one chunk or many', () => {
    const many = new SseDecoder()
    expect(many.push(Buffer.from('data: {"a":1}\n\ndata: "'))).toHaveLength(1)
    const piece = Buffer.alloc(64 * 1024, 'a')
    let sent = 0
    expect(() => {
      for (; sent <= MAX_SSE_EVENT_BYTES; sent += piece.length) many.push(piece)
    }).toThrow(expect.objectContaining({ code: 'SY_ERR_UPSTREAM_RESPONSE_TOO_LARGE' }))
    expect(sent).toBeLessThanOrEqual(MAX_SSE_EVENT_BYTES)
    expect(() => new SseDecoder().push(Buffer.alloc(MAX_SSE_EVENT_BYTES + 1, 'a'))).toThrow(expect.objectContaining({ code: 'SY_ERR_UPSTREAM_RESPONSE_TOO_LARGE' }))
  })

  it('joins a long event held in many chunks into the same bytes', () => {
    const decoder = new SseDecoder()
    const text = `data: ${'x'.repeat(100_000)}\r\n\r\ndata: y\n\n`
    const bytes = Buffer.from(text)
    const events: SseEvent[] = []
    for (let i = 0; i < bytes.length; i += 1000) events.push(...decoder.push(bytes.subarray(i, i + 1000)))
    events.push(...decoder.end())
    expect(events.map((e) => e.raw.toString())).toEqual([`data: ${'x'.repeat(100_000)}\r\n\r\n`, 'data: y\n\n'])
  })
})
