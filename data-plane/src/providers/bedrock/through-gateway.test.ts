import { providerCredentialAad, seal } from '@switchyard/shared/crypto'
import { HEADERS } from '@switchyard/shared/headers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FAKE_AWS_CREDENTIALS } from '../../../../test/fake-providers/bedrock.ts'
import { buildTestSnapshot, chat, type Gateway, logEventFor, messages, startGateway } from '../../testing/gateway-fixture.ts'

// Google and Bedrock connections through the data plane: upstream errors in the caller's
// format, errors inside a stream before the first content byte as (retryable) error responses,
// after it as a terminal in-band error with the log saying `incomplete`.

let gateway: Gateway

beforeAll(async () => {
  gateway = await startGateway()
  const parts = gateway.defaultParts(2)
  parts.providers = [
    { id: 'prov_g', name: 'gemini', type: 'google', baseUrl: gateway.fake.googleBaseUrl },
    { id: 'prov_b', name: 'aws', type: 'bedrock', baseUrl: gateway.fake.bedrockBaseUrl },
    { id: 'prov_x', name: 'aws-bad', type: 'bedrock', baseUrl: gateway.fake.bedrockBaseUrl },
  ]
  const snapshot = buildTestSnapshot(parts, gateway.keyring)
  snapshot.providers = snapshot.providers.map((p) => {
    if (p.type !== 'bedrock') return p
    const credential = p.id === 'prov_b' ? JSON.stringify(FAKE_AWS_CREDENTIALS) : JSON.stringify({ ...FAKE_AWS_CREDENTIALS, secretAccessKey: 'wrong' })
    return { ...p, settings: { region: 'eu-west-1' }, credential: seal(credential, gateway.keyring, providerCredentialAad(p.teamId, p.id)) }
  })
  await gateway.infra.snapshots.publish(2, JSON.stringify(snapshot))
  while ((gateway.dataPlane.app.snapshots.runtime?.version ?? 0) < 2) await new Promise((r) => setTimeout(r, 10))
})
afterAll(() => gateway.close())

const user = [{ role: 'user', content: 'hi' }]

describe('google and bedrock through the gateway', () => {
  it('renders Gemini 429 RESOURCE_EXHAUSTED and 503 UNAVAILABLE in each caller format, retry-after passed through', async () => {
    const limited = await chat(gateway, { model: 'gemini/error-429', messages: user })
    expect(limited.status).toBe(429)
    expect(limited.headers.get('retry-after')).toBe('3')
    expect(await limited.json()).toMatchObject({ error: { type: 'requests', code: 'rate_limit_exceeded' } })
    const overloaded = await messages(gateway, { model: 'gemini/error-503', max_tokens: 10, messages: user })
    expect(overloaded.status).toBe(529)
    expect(await overloaded.json()).toMatchObject({ type: 'error', error: { type: 'overloaded_error' } })
    const inStream = await chat(gateway, { model: 'gemini/error-in-stream', messages: user, stream: true })
    expect(inStream.status).toBe(503)
  })

  it('answers a bedrock stream whose first event is a throttlingException as a 429 error (retryable, nothing streamed)', async () => {
    const res = await messages(gateway, { model: 'aws/throttled-in-stream', max_tokens: 10, messages: user, stream: true })
    expect(res.status).toBe(429)
    expect(await res.json()).toMatchObject({ type: 'error', error: { type: 'rate_limit_error', message: 'Too many tokens, please wait before trying again.' } })
  })

  it('ends a bedrock stream broken after content with a terminal in-band error; the log says incomplete', async () => {
    const res = await chat(gateway, { model: 'aws/error-mid-stream', messages: user, stream: true })
    expect(res.status).toBe(200)
    const text = await res.text()
    expect(text).toContain('"role":"assistant"')
    expect(text).toContain('The model stream failed.')
    expect(text).not.toContain('[DONE]')
    expect(await logEventFor(gateway, res.headers.get(HEADERS.requestId))).toMatchObject({ outcome: 'incomplete', provider: 'aws' })
  })

  it('relays a signature the upstream refuses (403 InvalidSignatureException) as an authentication error', async () => {
    const res = await chat(gateway, { model: 'aws-bad/anthropic.claude-v2:1', messages: user })
    expect(res.status).toBe(403)
    expect(res.headers.get(HEADERS.provider)).toBe('aws-bad')
    expect(await res.json()).toMatchObject({ error: { code: 'invalid_api_key' } })
  })
})
