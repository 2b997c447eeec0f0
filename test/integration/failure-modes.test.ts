import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Gateway, startGateway } from '../../data-plane/src/testing/gateway-fixture.ts'
import { FAKE_SCRIPTS } from '../fake-providers/fake-script.ts'
import { ask, type Family, logOf, publishAllProviders } from './failure-support.ts'

// Issue #3's scripted upstream failures, for every provider fake, through the data plane: a 429
// keeps its retry-after (relayed, or translated); an error before the first content byte is an
// error response with a retryable status; a stream broken after it ends with a terminal in-band
// error and is logged `incomplete`; an upstream that writes its stream one byte at a time gives
// the client the same events as one that writes whole events.

interface ProviderCase {
  provider: string
  /** The client family driving it (same family = passthrough). */
  family: Family
  passthrough: boolean
  /** What reaches the client on a scripted 429. */
  retryAfter: string | null
  retryAfterMs: string | null
  /** The status of an error that arrives as the first event of an HTTP 200 stream (Anthropic clients: overloaded is 529). */
  inStreamStatus: number
}

const CASES: ProviderCase[] = [
  { provider: 'fake', family: 'openai', passthrough: true, retryAfter: '2', retryAfterMs: '1500', inStreamStatus: 500 },
  { provider: 'azure', family: 'openai', passthrough: true, retryAfter: '2', retryAfterMs: '2000', inStreamStatus: 500 },
  { provider: 'anthropic', family: 'anthropic', passthrough: true, retryAfter: '2', retryAfterMs: null, inStreamStatus: 529 },
  { provider: 'anthropic', family: 'openai', passthrough: false, retryAfter: '2', retryAfterMs: null, inStreamStatus: 503 },
  { provider: 'fake', family: 'anthropic', passthrough: false, retryAfter: '2', retryAfterMs: '1500', inStreamStatus: 500 },
  { provider: 'google', family: 'openai', passthrough: false, retryAfter: '3', retryAfterMs: null, inStreamStatus: 503 },
  { provider: 'google', family: 'anthropic', passthrough: false, retryAfter: '3', retryAfterMs: null, inStreamStatus: 529 },
  // Bedrock sends no retry-after on ThrottlingException; the status alone says "rate limited".
  { provider: 'bedrock', family: 'openai', passthrough: false, retryAfter: null, retryAfterMs: null, inStreamStatus: 503 },
  { provider: 'bedrock', family: 'anthropic', passthrough: false, retryAfter: null, retryAfterMs: null, inStreamStatus: 529 },
]

let gateway: Gateway

function expectErrorBody(family: Family, body: unknown): void {
  if (family === 'openai') expect(body).toMatchObject({ error: { message: expect.any(String) } })
  else expect(body).toMatchObject({ type: 'error', error: { type: expect.any(String), message: expect.any(String) } })
}

/** Client stream text with what legitimately differs per request (ids, model names, timestamps) masked. */
function normalized(text: string): string {
  return text.replace(/"(id|model|created|responseId|system_fingerprint|request_id)":("[^"]*"|\d+)/g, '"$1":_')
}

beforeAll(async () => {
  gateway = await startGateway()
  await publishAllProviders(gateway, 2)
})

afterAll(async () => {
  await gateway.close()
})

describe.each(CASES)('$family client → $provider (passthrough: $passthrough)', (c) => {
  const model = (script: string) => `${c.provider}/${script}`

  it('429: keeps retry-after (and retry-after-ms) in the caller’s error format', async () => {
    const before = gateway.fake.requests.length
    const res = await ask(gateway, c.family, model(FAKE_SCRIPTS.error429), { stream: true })
    expect(res.status).toBe(429)
    expect(res.headers.get('retry-after')).toBe(c.retryAfter)
    expect(res.headers.get('retry-after-ms')).toBe(c.retryAfterMs)
    const bytes = Buffer.from(await res.arrayBuffer())
    expectErrorBody(c.family, JSON.parse(bytes.toString()))
    if (c.family === 'anthropic') expect(JSON.parse(bytes.toString())).toMatchObject({ error: { type: 'rate_limit_error' } })
    const upstream = gateway.fake.requests[before]
    await upstream?.done
    if (c.passthrough) expect(bytes.equals(upstream?.response?.body ?? Buffer.alloc(0))).toBe(true)
    expect(await logOf(gateway, res)).toMatchObject({ status: 429, outcome: 'error' })
  })

  it('an in-band error before the first content byte is an error response (retryable status)', async () => {
    const res = await ask(gateway, c.family, model(FAKE_SCRIPTS.errorInStream), { stream: true })
    expect(res.status).toBe(c.inStreamStatus)
    expect(res.headers.get('content-type')).toMatch(/^application\/json/)
    expectErrorBody(c.family, await res.json())
    expect(await logOf(gateway, res)).toMatchObject({ status: c.inStreamStatus, outcome: 'error', stream: true })
  })

  it('5xx before any byte is relayed or translated as an error', async () => {
    for (const script of [FAKE_SCRIPTS.error500, FAKE_SCRIPTS.overloaded]) {
      const res = await ask(gateway, c.family, model(script), { stream: true })
      expect(res.status, script).toBeGreaterThanOrEqual(500)
      expectErrorBody(c.family, await res.json())
    }
  })

  it('a stream cut after content ends with a terminal in-band error and is logged incomplete', async () => {
    const res = await ask(gateway, c.family, model(FAKE_SCRIPTS.cutStream), { stream: true })
    expect(res.status).toBe(200)
    const events = (await res.text()).split('\n\n').filter(Boolean)
    const last = events.at(-1) ?? ''
    if (c.family === 'openai') expect(last).toMatch(/^data: \{"error":\{.*"code":"upstream_stream_incomplete"/)
    else expect(last).toMatch(/^event: error\ndata: \{"type":"error","error":\{"type":"api_error"/)
    expect(events.length).toBeGreaterThan(1)
    // G-BUD-06: no usage frame came, so what was streamed is metered, flagged estimated.
    const event = await logOf(gateway, res)
    expect(event).toMatchObject({ outcome: 'incomplete', errorCode: 'SY_ERR_UPSTREAM_STREAM_INCOMPLETE', usage: { estimated: true } })
    expect(event.usage?.promptTokens).toBeGreaterThan(0)
    expect(event.usage?.completionTokens).toBeGreaterThan(0)
  })

  it('an upstream stream written one byte at a time reaches the client as the same events', async () => {
    const before = gateway.fake.requests.length
    const chunked = await ask(gateway, c.family, model(FAKE_SCRIPTS.byteChunks), { stream: true })
    const chunkedText = await chunked.text()
    const upstream = gateway.fake.requests[before]
    await upstream?.done
    // The fake really wrote its answer one byte at a time.
    expect(upstream?.writes).toBe(upstream?.response?.body.length)
    if (c.passthrough) expect(chunkedText).toBe(upstream?.response?.body.toString())
    const whole = await ask(gateway, c.family, model('plain-model'), { stream: true })
    expect(normalized(chunkedText)).toBe(normalized(await whole.text()))
    expect(await logOf(gateway, chunked)).toMatchObject({ outcome: 'success', stream: true })
  })
})
