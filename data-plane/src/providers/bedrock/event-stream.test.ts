import { describe, expect, it } from 'vitest'
import { eventStreamMessage, exception } from '../../../../test/fake-providers/bedrock.ts'
import { GatewayError } from '../../errors.ts'
import type { SseEvent } from '../../upstream/sse.ts'
import { EventStreamFramer, readMessage } from './event-stream.ts'
import { mulberry32 } from '@switchyard/shared/testing'

// The AWS event-stream decoder: a recorded ConverseStream re-chunked at random byte boundaries
// (down to 1-byte fragments) yields the same events; a flipped bit fails the CRC check.

const event = (type: string, payload: unknown) => eventStreamMessage({ ':event-type': type, ':content-type': 'application/json', ':message-type': 'event' }, payload)

const RECORDED = Buffer.concat([
  event('messageStart', { role: 'assistant' }),
  event('contentBlockDelta', { contentBlockIndex: 0, delta: { text: 'Héllo ✓ ' } }),
  event('contentBlockStop', { contentBlockIndex: 0 }),
  event('contentBlockStart', { contentBlockIndex: 1, start: { toolUse: { toolUseId: 'tooluse_1', name: 'f' } } }),
  event('contentBlockDelta', { contentBlockIndex: 1, delta: { toolUse: { input: '{"a":' } } }),
  event('contentBlockDelta', { contentBlockIndex: 1, delta: { toolUse: { input: '1}' } } }),
  event('contentBlockStop', { contentBlockIndex: 1 }),
  event('messageStop', { stopReason: 'tool_use' }),
  event('metadata', { usage: { inputTokens: 3, outputTokens: 4, totalTokens: 7 }, metrics: { latencyMs: 1 } }),
])

const simple = (events: SseEvent[]) => events.map((e) => [e.event, e.data])

function decode(chunks: Buffer[]): SseEvent[] {
  const framer = new EventStreamFramer()
  return [...chunks.flatMap((c) => framer.push(c)), ...framer.end()]
}

function chunked(bytes: Buffer, next: () => number, max: number): Buffer[] {
  const chunks: Buffer[] = []
  for (let at = 0; at < bytes.length; ) {
    const size = 1 + Math.floor(next() * max)
    chunks.push(bytes.subarray(at, at + size))
    at += size
  }
  return chunks
}

describe('AWS event stream framing', () => {
  const whole = simple(decode([RECORDED]))

  it('decodes every message: event type from the headers, the payload as data', () => {
    expect(whole).toHaveLength(9)
    expect(whole[0]).toEqual(['messageStart', '{"role":"assistant"}'])
    expect(whole[1]).toEqual(['contentBlockDelta', JSON.stringify({ contentBlockIndex: 0, delta: { text: 'Héllo ✓ ' } })])
    expect(whole.at(-1)?.[0]).toBe('metadata')
  })

  it('yields identical events however the bytes are chunked (1-byte fragments, random boundaries)', () => {
    expect(simple(decode([...RECORDED].map((b) => Buffer.from([b]))))).toEqual(whole)
    for (let seed = 1; seed <= 200; seed++) {
      expect(simple(decode(chunked(RECORDED, mulberry32(seed), 1 + (seed % 97)))), `seed ${seed}`).toEqual(whole)
    }
  })

  it('verifies the prelude and message CRCs', () => {
    const flipped = Buffer.from(RECORDED)
    flipped[40] = (flipped[40] ?? 0) ^ 0x01
    expect(() => decode([flipped])).toThrow(/CRC mismatch/)
    const prelude = Buffer.from(RECORDED)
    prelude[2] = (prelude[2] ?? 0) ^ 0x01
    expect(() => readMessage(prelude)).toThrow(GatewayError)
    expect(() => decode([RECORDED.subarray(0, RECORDED.length - 3)])).toThrow(/trailing bytes/)
  })

  it('names exceptions, and holds messageStart back so an exception before content comes first', () => {
    const framer = new EventStreamFramer()
    const events = [...framer.push(Buffer.concat([event('messageStart', { role: 'assistant' }), exception('throttlingException', 'slow down')])), ...framer.end()]
    expect(simple(events)).toEqual([['exception:throttlingException', '{"message":"slow down"}']])
  })
})
