import type { RequestLogEvent } from '@switchyard/shared/events'
import type { LogStream } from '@switchyard/shared/infra'
import { requestLogEvent } from '@switchyard/shared/testing/request-log-event'
import { describe, expect, it } from 'vitest'
import { LogEmitter } from './log-emitter.ts'

const silent = { warn: () => {}, error: () => {} }

const event = (requestId: string) => requestLogEvent('team_1', { requestId })

/** A log stream that fails while `down` is true and records what it accepted. */
function flakyStream() {
  const accepted: string[] = []
  const state = { down: false, calls: 0 }
  const stream: Pick<LogStream, 'append'> = {
    async append(payloads) {
      state.calls++
      if (state.down) throw new Error('ECONNREFUSED')
      accepted.push(...payloads)
    },
  }
  return { stream: stream as LogStream, accepted, state }
}

describe('LogEmitter', () => {
  it('batches events off the hot path', async () => {
    const { stream, accepted, state } = flakyStream()
    const emitter = new LogEmitter({ logs: stream, log: silent, flushIntervalMs: 10 })
    for (let i = 0; i < 5; i++) emitter.emit(event(`req_${i}`))
    expect(accepted).toHaveLength(0)
    await expect.poll(() => accepted.length).toBe(5)
    expect(state.calls).toBe(1)
    await emitter.close()
  })

  it('sends a full batch at once instead of waiting for the interval', async () => {
    const { stream, accepted, state } = flakyStream()
    const emitter = new LogEmitter({ logs: stream, log: silent, flushIntervalMs: 60_000, eagerBatch: 3 })
    emitter.emit(event('req_1'))
    emitter.emit(event('req_2'))
    await new Promise((r) => setTimeout(r, 30))
    expect(accepted).toHaveLength(0)
    emitter.emit(event('req_3'))
    await expect.poll(() => accepted.length, { timeout: 1_000 }).toBe(3)
    expect(state.calls).toBe(1)
    await emitter.close()
  })

  it('keeps events while the stream is down and delivers them, in order, once it is back', async () => {
    const { stream, accepted, state } = flakyStream()
    state.down = true
    const emitter = new LogEmitter({ logs: stream, log: silent, flushIntervalMs: 5 })
    emitter.emit(event('req_a'))
    emitter.emit(event('req_b'))
    await expect.poll(() => state.calls).toBeGreaterThan(1)
    state.down = false
    emitter.emit(event('req_c'))
    await expect.poll(() => accepted.length, { timeout: 3_000 }).toBe(3)
    expect(accepted.map((p) => (JSON.parse(p) as RequestLogEvent).requestId)).toEqual(['req_a', 'req_b', 'req_c'])
    await emitter.close()
  })

  it('appends a model holding NUL or half an emoji as text Postgres can store', async () => {
    const { stream, accepted } = flakyStream()
    const emitter = new LogEmitter({ logs: stream, log: silent, flushIntervalMs: 5 })
    emitter.emit({ ...event('req_nul'), model: 'gpt\u0000-4o', metadata: { session: 'cut \ud83d' } })
    await expect.poll(() => accepted.length).toBe(1)
    expect(accepted[0]).not.toMatch(/\\u(0000|d[89a-f])/)
    expect(JSON.parse(accepted[0] ?? '')).toMatchObject({ model: 'gpt\ufffd-4o', metadata: { session: 'cut \ufffd' } })
    await emitter.close()
  })

  it('bounds its buffer, keeping the newest events, and flushes on close', async () => {
    const { stream, accepted, state } = flakyStream()
    state.down = true
    const errors: string[] = []
    const emitter = new LogEmitter({ logs: stream, log: { warn: () => {}, error: (_: unknown, m?: string) => errors.push(m ?? '') }, flushIntervalMs: 1_000, maxBuffered: 3 })
    for (let i = 0; i < 5; i++) emitter.emit(event(`req_${i}`))
    state.down = false
    await emitter.close()
    expect(accepted.map((p) => (JSON.parse(p) as RequestLogEvent).requestId)).toEqual(['req_2', 'req_3', 'req_4'])
    expect(emitter.droppedTotal).toBe(2)
    expect(errors).toEqual(['request logs: buffer full, dropping the oldest events'])
  })
})
