import Anthropic from '@anthropic-ai/sdk'
import { providerCredentialAad, seal } from '@switchyard/shared/crypto'
import { HEADERS } from '@switchyard/shared/headers'
import OpenAI from 'openai'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { HOP_HEADER } from '../../data-plane/src/pipeline/check-hops.ts'
import { buildTestSnapshot, chat, type Gateway, messages, startGateway } from '../../data-plane/src/testing/gateway-fixture.ts'

// Issue #11 item 10: a connection whose base URL is the gateway itself looped (a model string
// `self/self/…/x` made one nested request per prefix: 31 in the report). Every upstream request
// now carries `x-gw-hop` (the Switchyard gateways it has passed), and a request arriving with
// more than one hop is refused with a 508 in the caller's format before any work.

let gateway: Gateway

beforeAll(async () => {
  gateway = await startGateway()
  const parts = gateway.defaultParts(2)
  parts.providers = [
    ...(parts.providers ?? []),
    // Connections pointing back at this gateway, holding a virtual key of it as their API key.
    { id: 'prov_self', name: 'self', baseUrl: `${gateway.url}/v1` },
    { id: 'prov_self_anthropic', name: 'selfa', type: 'anthropic', baseUrl: gateway.url },
  ]
  const snapshot = buildTestSnapshot(parts, gateway.keyring)
  snapshot.providers = snapshot.providers.map((p) =>
    p.name.startsWith('self') ? { ...p, credential: seal(gateway.key, gateway.keyring, providerCredentialAad(p.teamId, p.id)) } : p,
  )
  await gateway.infra.snapshots.publish(2, JSON.stringify(snapshot))
  while ((gateway.dataPlane.app.snapshots.runtime?.version ?? 0) < 2) await new Promise((r) => setTimeout(r, 10))
})

afterAll(async () => {
  await gateway.close()
})

const USER = [{ role: 'user', content: 'Hello loop' }]

/** Chat requests the gateway served (authenticated), after `since` events. */
async function servedSince(since: number): Promise<number> {
  await new Promise((r) => setTimeout(r, 300))
  return (await gateway.logEvents()).length - since
}

describe('G-SEC-19 request loops', () => {
  it('refuses a loop through an OpenAI connection with a 508 in the OpenAI format: two nested requests, nothing reaches a provider', async () => {
    const events = (await gateway.logEvents()).length
    const before = gateway.fake.requests.length
    const res = await chat(gateway, { model: `${'self/'.repeat(40)}fake/gpt-4o-mini`.slice(0, 250), messages: USER })
    expect(res.status).toBe(508)
    expect(await res.json()).toEqual({ error: { message: expect.stringContaining('request loop'), type: 'invalid_request_error', param: null, code: 'loop_detected' } })
    expect(gateway.fake.requests.length).toBe(before)
    // The caller's request and one re-entry were served; the second re-entry was refused unserved.
    expect(await servedSince(events)).toBe(2)
  })

  it('the OpenAI SDK (default retries) gets one clear 508 APIError and does not retry the loop', async () => {
    const events = (await gateway.logEvents()).length
    const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: gateway.key })
    const err = await client.chat.completions.create({ model: 'self/self/self/fake/gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(OpenAI.APIError)
    expect(err).toMatchObject({ status: 508, code: 'loop_detected', type: 'invalid_request_error' })
    expect(await servedSince(events)).toBe(2)
  })

  it('the Anthropic SDK (default retries) gets one clear 508 APIError and does not retry the loop', async () => {
    const events = (await gateway.logEvents()).length
    const client = new Anthropic({ baseURL: gateway.url, apiKey: gateway.key })
    const err = await client.messages.create({ model: 'selfa/selfa/selfa/anthropic/claude-sonnet-4-5', max_tokens: 16, messages: [{ role: 'user', content: 'Hi' }] }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(Anthropic.APIError)
    expect(err).toMatchObject({ status: 508, error: { type: 'error', error: { type: 'invalid_request_error' } } })
    expect(String((err as Error).message)).toContain('request loop')
    expect(await servedSince(events)).toBe(2)
  })

  it('refuses a loop through an Anthropic connection with a 508 in the Anthropic format', async () => {
    const res = await messages(gateway, { model: 'selfa/selfa/selfa/anthropic/claude-sonnet-4-5', max_tokens: 16, messages: USER })
    expect(res.status).toBe(508)
    expect(await res.json()).toEqual({ type: 'error', error: { type: 'invalid_request_error', message: expect.stringContaining('request loop') } })
  })

  it('refuses a streamed loop before any stream starts', async () => {
    const res = await chat(gateway, { model: 'self/self/self/fake/gpt-4o-mini', messages: USER, stream: true })
    expect(res.status).toBe(508)
    expect(res.headers.get('content-type')).toMatch(/^application\/json/)
  })

  it('refuses an inbound request already carrying more than one hop, before the key is looked at', async () => {
    const res = await chat(gateway, { model: 'fake/gpt-4o-mini', messages: USER }, { key: null, headers: { [HOP_HEADER]: '2' } })
    expect(res.status).toBe(508)
    expect(res.headers.get(HEADERS.error)).toBe('SY_ERR_REQUEST_LOOP')
  })

  it('serves one gateway in front of another, and counts the hops upstream', async () => {
    const res = await chat(gateway, { model: 'self/fake/gpt-4o-mini', messages: USER })
    expect(res.status).toBe(200)
    expect(gateway.fake.requests.at(-1)?.headers[HOP_HEADER]).toBe('2')
    const direct = await chat(gateway, { model: 'fake/gpt-4o-mini', messages: USER })
    expect(direct.status).toBe(200)
    expect(gateway.fake.requests.at(-1)?.headers[HOP_HEADER]).toBe('1')
  })
})
