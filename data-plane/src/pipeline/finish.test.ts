import { HEADERS } from '@switchyard/shared/headers'
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { FAKE_SCRIPTS } from '../../../test/fake-providers/fake-script.ts'
import { chat, type Gateway, logEventFor, messages, startGateway } from '../testing/gateway-fixture.ts'
import type { RequestContext } from './context.ts'
import { STAGES } from './index.ts'
import type { Finished } from './stage.ts'

// The one finish point (pipeline/index.ts finish): every stage's after-half runs exactly once per
// request, on every path a request can end by, and the attempts are recorded as they happened.

let gateway: Gateway
const calls = new Map<string, { stage: string; finished: Finished }[]>()

beforeAll(async () => {
  gateway = await startGateway()
  for (const stage of STAGES) {
    if (!('after' in stage)) continue
    const after = stage.after
    vi.spyOn(stage, 'after').mockImplementation((ctx: RequestContext, finished: Finished) => {
      const list = calls.get(ctx.requestId) ?? []
      list.push({ stage: stage.name, finished })
      calls.set(ctx.requestId, list)
      after(ctx, finished)
    })
  }
})

afterAll(async () => {
  vi.restoreAllMocks()
  await gateway.close()
})

beforeEach(() => calls.clear())

/** The after-halves that ran for the request, once it finished (and a while after, to catch a second run). */
async function afterHalvesOf(requestId: string | null): Promise<string[]> {
  if (!requestId) throw new Error('no x-request-id')
  await vi.waitFor(() => expect(calls.get(requestId)?.length ?? 0).toBeGreaterThan(0), { timeout: 3_000 })
  await new Promise((r) => setTimeout(r, 150))
  return (calls.get(requestId) ?? []).map((c) => c.stage)
}

const ask = [{ role: 'user', content: 'Say hello' }]
const BOTH = ['execute', 'meter']

describe('finish: each after-half once, on every path', () => {
  it('success: the attempt succeeded, both after-halves ran once, in reverse order', async () => {
    const res = await chat(gateway, { model: 'fake/gpt-4o-mini', messages: ask })
    expect(res.status).toBe(200)
    await res.arrayBuffer()
    expect(res.headers.get(HEADERS.attempts)).toBe('1')
    expect(res.headers.get(HEADERS.fallbackIndex)).toBe('0')
    const id = res.headers.get(HEADERS.requestId)
    expect(await afterHalvesOf(id)).toEqual(BOTH)
    const event = await logEventFor(gateway, id)
    expect(event.attempts).toHaveLength(1)
    expect(event.attempts[0]).toMatchObject({ provider: 'fake', model: 'gpt-4o-mini', status: 200, outcome: 'success', errorKind: null })
    expect(event.attempts[0]?.usage?.promptTokens).toBeGreaterThan(0)
    const { startedAt, firstByteAt, endedAt } = event.attempts[0] ?? {}
    expect(startedAt && firstByteAt && endedAt && startedAt <= firstByteAt && firstByteAt <= endedAt).toBe(true)
  })

  it('upstream 5xx: a failed attempt of kind server_error', async () => {
    const res = await chat(gateway, { model: `fake/${FAKE_SCRIPTS.error500}`, messages: ask })
    expect(res.status).toBe(500)
    await res.arrayBuffer()
    expect(res.headers.get(HEADERS.attempts)).toBe('1')
    const id = res.headers.get(HEADERS.requestId)
    expect(await afterHalvesOf(id)).toEqual(BOTH)
    expect((await logEventFor(gateway, id)).attempts[0]).toMatchObject({ status: 500, outcome: 'error', errorKind: 'server_error' })
  })

  it('upstream 429: rate_limited', async () => {
    const res = await chat(gateway, { model: `fake/${FAKE_SCRIPTS.error429}`, messages: ask })
    expect(res.status).toBe(429)
    await res.arrayBuffer()
    const id = res.headers.get(HEADERS.requestId)
    expect(await afterHalvesOf(id)).toEqual(BOTH)
    expect((await logEventFor(gateway, id)).attempts[0]).toMatchObject({ status: 429, outcome: 'error', errorKind: 'rate_limited' })
  })

  it('an opening in-band error event (Anthropic overloaded_error on a 200): a failed attempt, answered as an error', async () => {
    const res = await messages(gateway, { model: `anthropic/${FAKE_SCRIPTS.errorInStream}`, max_tokens: 16, stream: true, messages: ask })
    expect(res.status).toBe(529)
    await res.arrayBuffer()
    expect(res.headers.get(HEADERS.attempts)).toBe('1')
    const id = res.headers.get(HEADERS.requestId)
    expect(await afterHalvesOf(id)).toEqual(BOTH)
    expect((await logEventFor(gateway, id)).attempts[0]).toMatchObject({ outcome: 'error', errorKind: 'overloaded' })
  })

  it('in-stream error (the stream breaks off after content): stream_error, finished once', async () => {
    const res = await chat(gateway, { model: `fake/${FAKE_SCRIPTS.cutStream}`, stream: true, messages: ask })
    expect(res.status).toBe(200)
    expect(res.headers.get(HEADERS.attempts)).toBe('1')
    expect(res.headers.get(HEADERS.fallbackIndex)).toBe('0')
    expect(await res.text()).toContain('upstream_stream_incomplete')
    const id = res.headers.get(HEADERS.requestId)
    expect(await afterHalvesOf(id)).toEqual(BOTH)
    const event = await logEventFor(gateway, id)
    expect(event.outcome).toBe('incomplete')
    expect(event.attempts[0]).toMatchObject({ outcome: 'error', errorKind: 'stream_error' })
  })

  it('client cancel mid-stream: the attempt is cancelled, finished once', async () => {
    const controller = new AbortController()
    const res = await chat(gateway, { model: `fake/${FAKE_SCRIPTS.stallStream}`, stream: true, messages: ask }, { signal: controller.signal })
    expect(res.status).toBe(200)
    const reader = res.body?.getReader()
    await reader?.read()
    controller.abort()
    const id = res.headers.get(HEADERS.requestId)
    expect(await afterHalvesOf(id)).toEqual(BOTH)
    const event = await logEventFor(gateway, id)
    expect(event.outcome).toBe('client_cancelled')
    expect(event.attempts[0]).toMatchObject({ outcome: 'cancelled' })
  })

  it('a gateway 4xx before any upstream call: no attempt, the after-halves of the stages that ran', async () => {
    const res = await chat(gateway, { model: 'nosuch/gpt-4o-mini', messages: ask })
    expect(res.status).toBe(404)
    await res.arrayBuffer()
    expect(res.headers.get(HEADERS.attempts)).toBe('0')
    expect(res.headers.get(HEADERS.fallbackIndex)).toBeNull()
    const id = res.headers.get(HEADERS.requestId)
    // Failed in plan: execute never started, so only the meter's after-half runs.
    expect(await afterHalvesOf(id)).toEqual(['meter'])
    expect((await logEventFor(gateway, id)).attempts).toEqual([])
  })

  it('a body Fastify refuses (invalid JSON) still finishes once', async () => {
    const res = await chat(gateway, '{not json')
    expect(res.status).toBe(400)
    await res.arrayBuffer()
    expect(await afterHalvesOf(res.headers.get(HEADERS.requestId))).toEqual(['meter'])
  })

  it('a local answer: GET /v1/models', async () => {
    const res = await fetch(`${gateway.url}/v1/models`, { headers: { authorization: `Bearer ${gateway.key}` } })
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ object: 'list' })
    expect(res.headers.get(HEADERS.attempts)).toBe('0')
    expect(await afterHalvesOf(res.headers.get(HEADERS.requestId))).toEqual(BOTH)
  })

  it('a local answer: count_tokens estimated for a connection that cannot count', async () => {
    const res = await fetch(`${gateway.url}/v1/messages/count_tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': gateway.key, 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({ model: 'fake/gpt-4o-mini', messages: ask }),
    })
    expect(res.status).toBe(200)
    expect(res.headers.get('x-switchyard-token-count')).toBe('estimate')
    expect(res.headers.get(HEADERS.attempts)).toBe('0')
    const id = res.headers.get(HEADERS.requestId)
    expect(await afterHalvesOf(id)).toEqual(BOTH)
    expect((await logEventFor(gateway, id)).attempts).toEqual([])
  })

  it('an unauthenticated request: no stage after authenticate started, nothing runs', async () => {
    const res = await chat(gateway, { model: 'fake/gpt-4o-mini', messages: ask }, { key: null })
    expect(res.status).toBe(401)
    await res.arrayBuffer()
    await new Promise((r) => setTimeout(r, 150))
    expect(calls.get(res.headers.get(HEADERS.requestId) ?? '')).toBeUndefined()
  })
})
