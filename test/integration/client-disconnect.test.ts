import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Gateway, startGateway } from '../../data-plane/src/testing/gateway-fixture.ts'
import { FAKE_SCRIPTS } from '../fake-providers/fake-script.ts'
import { ask, type Family, logOf, publishAllProviders } from './failure-support.ts'

// A client that goes away mid-stream aborts the upstream request within a second, on every
// route family — passthrough and translated chat streams, and /v1/responses — and the request is
// logged `client_cancelled`. The upstream is the `stall-stream` script: a few events, then
// silence with the connection open, so only the gateway's abort can end it. No usage frame
// came, so the log event's usage is estimated (G-REL-09): prompt tokens from the request,
// completion tokens from the text the client was sent, flagged `estimated`.

let gateway: Gateway

beforeAll(async () => {
  gateway = await startGateway()
  await publishAllProviders(gateway, 2)
})

afterAll(async () => {
  await gateway.close()
})

type Send = (signal: AbortSignal) => Promise<Response>

const chatRoute = (family: Family, connection: string): Send => (signal) => ask(gateway, family, `${connection}/${FAKE_SCRIPTS.stallStream}`, { stream: true, signal })

const ROUTES: [string, Send][] = [
  ['OpenAI chat → openai (passthrough)', chatRoute('openai', 'fake')],
  ['OpenAI chat → azure-openai (passthrough)', chatRoute('openai', 'azure')],
  ['Anthropic messages → anthropic (passthrough)', chatRoute('anthropic', 'anthropic')],
  ['OpenAI chat → anthropic (translated)', chatRoute('openai', 'anthropic')],
  ['Anthropic messages → openai (translated)', chatRoute('anthropic', 'fake')],
  ['OpenAI chat → google (translated)', chatRoute('openai', 'google')],
  ['Anthropic messages → bedrock (translated)', chatRoute('anthropic', 'bedrock')],
  [
    'OpenAI responses → openai (passthrough)',
    (signal) =>
      fetch(`${gateway.url}/v1/responses`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${gateway.key}` },
        body: JSON.stringify({ model: `fake/${FAKE_SCRIPTS.stallStream}`, input: 'Hello', stream: true }),
        signal,
      }),
  ],
]

describe.each(ROUTES)('G-REL-09 %s', (_name, send) => {
  it('aborts the upstream within a second of the client leaving, logged client_cancelled with estimated usage', async () => {
    const before = gateway.fake.requests.length
    const controller = new AbortController()
    const res = await send(controller.signal)
    expect(res.status).toBe(200)
    const first = await res.body?.getReader().read()
    expect(first?.value?.length).toBeGreaterThan(0)
    const upstream = gateway.fake.requests[before]
    if (!upstream) throw new Error('nothing went upstream')
    controller.abort()
    const abortedAt = Date.now()
    await upstream.done
    expect(Date.now() - abortedAt).toBeLessThan(1_000)
    expect(upstream.aborted).toBe(true)
    const event = await logOf(gateway, res)
    expect(event).toMatchObject({ outcome: 'client_cancelled', stream: true, usage: { estimated: true } })
    expect(event.usage?.promptTokens).toBeGreaterThan(0)
    expect(event.usage?.completionTokens).toBeGreaterThanOrEqual(0)
  })
})

describe.each([
  ['OpenAI chat → openai (passthrough)', 'openai', 'fake'],
  ['Anthropic messages → anthropic (passthrough)', 'anthropic', 'anthropic'],
  ['OpenAI chat → anthropic (translated)', 'openai', 'anthropic'],
  ['Anthropic messages → openai (translated)', 'anthropic', 'fake'],
] as const)('G-REL-09 %s, cancelled mid-stream', (_name, family, connection) => {
  it('counts the completion tokens the client was sent before it left', async () => {
    const controller = new AbortController()
    const res = await ask(gateway, family, `${connection}/${FAKE_SCRIPTS.slowStream}`, { stream: true, signal: controller.signal })
    const reader = res.body?.getReader()
    if (!reader) throw new Error('no body')
    let text = ''
    while ((text.match(/tick\d+/g) ?? []).length < 6) text += new TextDecoder().decode((await reader.read()).value)
    controller.abort()
    const ticks = (text.match(/tick\d+/g) ?? []).length
    const event = await logOf(gateway, res)
    expect(event).toMatchObject({ outcome: 'client_cancelled', usage: { estimated: true } })
    // Each `tickN ` is 2-3 tokens; the client may have been sent a few more before the abort landed.
    expect(event.usage?.completionTokens).toBeGreaterThanOrEqual(ticks * 2)
    expect(event.usage?.completionTokens).toBeLessThan(ticks * 3 + 30)
    expect(event.usage?.promptTokens).toBeGreaterThan(0)
  })
})

describe.each(['openai', 'anthropic'] as const)('G-REL-09 %s client, cancelled before the upstream headers', (family) => {
  it('logs the estimated prompt tokens of a request the provider had accepted', async () => {
    const controller = new AbortController()
    const before = gateway.fake.requests.length
    const pending = ask(gateway, family, `${family === 'openai' ? 'fake' : 'anthropic'}/${FAKE_SCRIPTS.slowHeaders}`, { signal: controller.signal })
    await expect.poll(() => gateway.fake.requests.length).toBeGreaterThan(before)
    controller.abort()
    await expect(pending).rejects.toThrow()
    const cancelled = async () => (await gateway.logEvents()).find((e) => e.outcome === 'client_cancelled' && !e.stream && e.endpoint.includes(family === 'openai' ? 'chat' : 'messages'))
    await expect.poll(cancelled, { timeout: 3_000 }).toBeDefined()
    const event = await cancelled()
    expect(event).toMatchObject({ status: 499, usage: { completionTokens: 0, estimated: true } })
    expect(event?.usage?.promptTokens).toBeGreaterThan(0)
  })
})
