import { describe, expect, it } from 'vitest'
import { RequestLogEvent } from './request-log-event.ts'
import { mulberry32 } from '../testing/random.ts'
import { serializeRequestLogEvent } from './serialize.ts'
import { REPLACEMENT_CHARACTER } from './storable.ts'

// eslint-disable-next-line no-control-regex -- the characters under test
const UNSTORABLE_OR_SURROGATE = /[\u0000\ud800-\udfff]/g

describe('serializeRequestLogEvent', () => {
  it('round-trips through the schema for every combination of present and default members (property)', () => {
    const random = mulberry32(11)
    const maybe = <T>(value: T): T | null => (random() < 0.5 ? null : value)
    const text = () => ['plain', 'quote " and \\ backslash', 'ünïcødé 🚀', 'line\nbreak', ''][Math.floor(random() * 5)] as string
    for (let i = 0; i < 500; i++) {
      const event = RequestLogEvent.parse({
        eventVersion: 1,
        requestId: `req_${i}${text()}`,
        createdAt: new Date(1_700_000_000_000 + i * 997).toISOString(),
        teamId: 'team_1',
        virtualKeyId: maybe('vk_1'),
        snapshotVersion: maybe(i),
        endpoint: '/v1/chat/completions',
        provider: maybe(text()),
        model: maybe(text()),
        stream: random() < 0.5,
        status: [200, 400, 499, 502][i % 4],
        outcome: (['success', 'error', 'incomplete', 'client_cancelled'] as const)[i % 4],
        errorCode: maybe('SY_ERR_UPSTREAM_STATUS'),
        latencyMs: i,
        ttftMs: maybe(i % 7),
        usage: maybe({ promptTokens: maybe(3), completionTokens: maybe(4), totalTokens: maybe(7), cachedPromptTokens: maybe(1), reasoningTokens: maybe(2), ...(random() < 0.5 ? { estimated: true as const } : {}) }),
        costUsd: maybe('0.000123'),
        cacheStatus: (['miss', 'hit', 'bypass'] as const)[i % 3],
        attempts:
          random() < 0.3
            ? []
            : [
                {
                  provider: text(),
                  providerId: maybe('prov_1'),
                  model: text(),
                  status: 200,
                  latencyMs: 5,
                  errorCode: maybe('X'),
                  upstreamRequestId: maybe(text()),
                  startedAt: maybe('2026-12-04T10:00:00.000Z'),
                  firstByteAt: maybe('2026-12-04T10:00:00.120Z'),
                  endedAt: maybe('2026-12-04T10:00:01.000Z'),
                  outcome: maybe((['success', 'error', 'cancelled'] as const)[i % 3]),
                  errorKind: maybe((['rate_limited', 'overloaded', 'stream_error'] as const)[i % 3]),
                  usage: maybe({ promptTokens: 3, completionTokens: maybe(4), totalTokens: null, cachedPromptTokens: null, reasoningTokens: null }),
                },
              ],
        metadata: random() < 0.7 ? {} : { session: text(), 'x"y': 'z' },
      })
      const wire = serializeRequestLogEvent(event)
      expect(RequestLogEvent.parse(JSON.parse(wire)), wire).toEqual(event)
      expect(wire.length).toBeLessThanOrEqual(JSON.stringify(event).length)
    }
  })

  it('writes only what Postgres can store, whichever string holds a NUL or a lone surrogate (property)', () => {
    const random = mulberry32(29)
    const bad = ['\u0000', '\ud800', '\udfff', '\ud83d']
    const text = (base: string) => (random() < 0.4 ? `${base}${bad[Math.floor(random() * bad.length)]}${base}` : base)
    for (let i = 0; i < 300; i++) {
      const event = RequestLogEvent.parse({
        requestId: `req_${i}`,
        createdAt: new Date(1_700_000_000_000 + i).toISOString(),
        teamId: 'team_1',
        virtualKeyId: text('vk'),
        endpoint: text('/v1/chat/completions'),
        provider: text('openai'),
        model: text('gpt-4o'),
        stream: false,
        status: 404,
        outcome: 'error',
        errorCode: text('SY_ERR_ROUTE_NOT_FOUND'),
        latencyMs: 1,
        attempts: [{ provider: text('p'), model: text('m'), status: 404, latencyMs: 1, upstreamRequestId: text('up') }],
        metadata: { [text('key')]: text('value') },
      })
      const wire = serializeRequestLogEvent(event)
      expect(wire, wire).not.toMatch(/\\u(0000|d[89a-f])/)
      const back = RequestLogEvent.parse(JSON.parse(wire))
      const dirty = JSON.stringify(event)
      // Only the unstorable characters changed: same length, everything else identical.
      expect(JSON.stringify(back).length).toBeLessThanOrEqual(dirty.length)
      expect(back.model?.replaceAll(REPLACEMENT_CHARACTER, '')).toBe(event.model?.replace(UNSTORABLE_OR_SURROGATE, ''))
      if (!/\\u(0000|d[89a-f])/.test(dirty)) expect(back).toEqual(event)
    }
  })

  it('leaves out the members that hold their defaults', () => {
    // Only the members without a default: every other member parses to its default and is left out.
    const required = {
      requestId: 'req_1',
      createdAt: '2026-12-02T00:00:00.000Z',
      teamId: 'team_1',
      virtualKeyId: null,
      endpoint: '/v1/messages',
      provider: null,
      model: null,
      stream: false,
      status: 401,
      outcome: 'error',
      latencyMs: 0,
    }
    expect(JSON.parse(serializeRequestLogEvent(RequestLogEvent.parse(required)))).toEqual(required)
  })
})
