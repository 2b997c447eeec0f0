import Anthropic, { APIError } from '@anthropic-ai/sdk'
import { HEADERS } from '@switchyard/shared/headers'
import { generateVirtualKey } from '@switchyard/shared/keys'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type Gateway, startGateway, waitForLogEvents } from '../../data-plane/src/testing/gateway-fixture.ts'
import { FAKE_ANTHROPIC_MODELS } from '../fake-providers/anthropic.ts'

// The official Anthropic SDK against the data plane, in front of the fake Anthropic provider:
// the same-family passthrough as an Anthropic user sees it.

let gateway: Gateway
let client: Anthropic
/** The headers of the SDK's last request, as it sent them. */
let sdkSent = new Headers()

beforeEach(async () => {
  gateway = await startGateway()
  // No retries: every answer the SDK sees is the gateway's first.
  client = new Anthropic({
    baseURL: gateway.url,
    apiKey: gateway.key,
    maxRetries: 0,
    fetch: (url, init) => {
      sdkSent = new Headers(init?.headers)
      return fetch(url, init)
    },
  })
})

afterEach(async () => {
  await gateway.close()
})

const params = {
  max_tokens: 256,
  system: 'Be brief.',
  messages: [{ role: 'user' as const, content: 'Hello from the Anthropic SDK' }],
}

function recorded() {
  const last = gateway.fake.requests.at(-1)
  if (!last) throw new Error('the fake provider received nothing')
  return last
}

async function apiError(promise: Promise<unknown>): Promise<APIError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  )
  if (!(err instanceof APIError)) throw new Error(`expected an APIError, got ${String(err)}`)
  return err
}

describe('Anthropic SDK → data plane → Anthropic', () => {
  it('messages.create: content, stop_reason and usage come through', async () => {
    const message = await client.messages.create({ model: 'anthropic/claude-sonnet-4-5', ...params }, { headers: { 'anthropic-beta': 'fake-beta-2025-01-01' } })
    expect(message.content).toEqual([{ type: 'text', text: 'Hello from the Anthropic SDK' }])
    expect(message.stop_reason).toBe('end_turn')
    expect(message.model).toBe('claude-sonnet-4-5')
    expect(message.usage).toMatchObject({ input_tokens: expect.any(Number), output_tokens: 7, cache_read_input_tokens: 0 })
    // SDK 1.x sends its apiKey as `Authorization: Bearer` (0.x sent `x-api-key`): both are accepted.
    expect(`${sdkSent.get('x-api-key')} ${sdkSent.get('authorization')}`).toContain(gateway.key)
    expect(recorded().headers['anthropic-version']).toBe(sdkSent.get('anthropic-version'))
    expect(recorded().headers['anthropic-beta']).toBe('fake-beta-2025-01-01')
    expect(recorded().headers['x-api-key']).not.toBe(gateway.key)
    expect(recorded().headers.authorization).toBeUndefined()

    const [event] = await waitForLogEvents(gateway, 1)
    expect(event).toMatchObject({
      endpoint: '/v1/messages',
      outcome: 'success',
      usage: { promptTokens: message.usage.input_tokens, completionTokens: message.usage.output_tokens },
    })
  })

  it('messages.stream().finalMessage(): content, stop_reason and usage come through', async () => {
    const message = await client.messages.stream({ model: 'anthropic/claude-sonnet-4-5', ...params }).finalMessage()
    expect(message.content).toEqual([{ type: 'text', text: 'Hello from the Anthropic SDK' }])
    expect(message.stop_reason).toBe('end_turn')
    expect(message.usage.input_tokens).toBeGreaterThan(0)
    expect(message.usage.output_tokens).toBe(7)

    const [event] = await waitForLogEvents(gateway, 1)
    expect(event).toMatchObject({
      stream: true,
      outcome: 'success',
      usage: { promptTokens: message.usage.input_tokens, completionTokens: 7 },
    })
  })

  it('streams the upstream bytes unchanged', async () => {
    const response = await client.messages.create({ model: 'anthropic/claude-sonnet-4-5', ...params, stream: true }).asResponse()
    const bytes = Buffer.from(await response.arrayBuffer())
    await recorded().done
    expect(bytes.equals(recorded().response?.body ?? Buffer.alloc(0))).toBe(true)
  })
})

describe('errors as the Anthropic SDK sees them', () => {
  it('401, 403, 404 and 400 carry Anthropic error types and the Switchyard code', async () => {
    const stranger = new Anthropic({ baseURL: gateway.url, apiKey: generateVirtualKey(), maxRetries: 0 })
    const unauthorized = await apiError(stranger.messages.create({ model: 'anthropic/claude-x', ...params }))
    expect(unauthorized).toBeInstanceOf(Anthropic.AuthenticationError)
    expect(unauthorized.error).toMatchObject({ type: 'error', error: { type: 'authentication_error' } })
    expect(unauthorized.headers?.get(HEADERS.error)).toBe('SY_ERR_AUTH_INVALID_KEY')

    await gateway.publish({ ...gateway.defaultParts(2), keys: [{ id: 'vk_1', key: gateway.key, allowedModels: ['anthropic/claude-a', 'fake/*', 'nope/*'] }] })
    const forbidden = await apiError(client.messages.create({ model: 'anthropic/claude-b', ...params }))
    expect(forbidden).toBeInstanceOf(Anthropic.PermissionDeniedError)
    expect(forbidden.error).toMatchObject({ error: { type: 'permission_error' } })

    const missing = await apiError(client.messages.create({ model: 'nope/claude-a', ...params }))
    expect(missing).toBeInstanceOf(Anthropic.NotFoundError)
    expect(missing.error).toMatchObject({ error: { type: 'not_found_error' } })

    const otherFamily = await apiError(client.messages.create({ model: 'fake/gpt-4o-mini', ...params, tools: [{ type: 'web_search_20250305', name: 'web_search' }] }))
    expect(otherFamily).toBeInstanceOf(Anthropic.BadRequestError)
    expect(otherFamily.error).toMatchObject({ error: { type: 'invalid_request_error' } })
    expect(otherFamily.headers?.get(HEADERS.error)).toBe('SY_ERR_REQUEST_UNTRANSLATABLE')
    expect(gateway.fake.requests).toHaveLength(0)
  })

  it('a stream whose first event is overloaded_error reaches the SDK as a 529', async () => {
    const stream = client.messages.stream({ model: `anthropic/${FAKE_ANTHROPIC_MODELS.overloadedInStream}`, ...params })
    const err = await apiError(stream.finalMessage())
    expect(err.status).toBe(529)
    expect(err.error).toMatchObject({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } })
    expect(gateway.fake.requests).toHaveLength(1)
    const [event] = await waitForLogEvents(gateway, 1)
    expect(event).toMatchObject({ status: 529, outcome: 'error', errorCode: 'SY_ERR_UPSTREAM_STATUS' })
  })

  it('a stream cut short upstream ends in an in-band api_error and is logged incomplete', async () => {
    const stream = client.messages.stream({ model: `anthropic/${FAKE_ANTHROPIC_MODELS.cutStream}`, ...params })
    const err = await apiError(stream.finalMessage())
    expect(err.error).toMatchObject({ type: 'error', error: { type: 'api_error' } })
    const [event] = await waitForLogEvents(gateway, 1)
    expect(event).toMatchObject({ stream: true, status: 200, outcome: 'incomplete', errorCode: 'SY_ERR_UPSTREAM_STREAM_INCOMPLETE' })
  })
})
