import { readFileSync } from 'node:fs'
import Anthropic from '@anthropic-ai/sdk'
import type { MessageCreateParamsNonStreaming, BetaMessageStreamParams } from '@anthropic-ai/sdk/resources/beta/messages'
import { providerCredentialAad, seal } from '@switchyard/shared/crypto'
import { HEADERS } from '@switchyard/shared/headers'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { buildTestSnapshot, type Gateway, startGateway, waitForLogEvents } from '../../data-plane/src/testing/gateway-fixture.ts'
import { FAKE_AWS_CREDENTIALS } from '../fake-providers/bedrock.ts'

// Issue #11, real clients: Claude Code pointed at an OpenAI-type connection (ANTHROPIC_BASE_URL
// at the gateway, model `<openai connection>/<model>`). Its recorded first request (the
// fixture) goes through the gateway to the fake OpenAI provider, as Claude Code sends it (raw,
// `?beta=true`, `Authorization: Bearer`) and through the official SDK's beta client, streamed
// and not; and unchanged to an Anthropic connection.

interface Recorded {
  url: string
  headers: Record<string, string>
  body: Record<string, unknown> & { tools: { name: string; input_schema: unknown }[]; system: { text: string }[]; messages: { role: string }[] }
}
const recorded = JSON.parse(readFileSync(new URL('../../data-plane/src/dialects/anthropic/fixtures/claude-code-first-request.json', import.meta.url), 'utf8')) as Recorded
const MODEL = 'fake/gpt-5'
const body = { ...recorded.body, model: MODEL }
const TOOL_NAMES = recorded.body.tools.map((t) => t.name)
const DEGRADED = [
  'context_management (clear_thinking_20251015 keep=all: nothing to clear)',
  'safeguards (not run by this provider)',
  'metadata.user_id (over 64 characters: sent as its SHA-256)',
  'cache_control',
].join(', ')

let gateway: Gateway
let client: Anthropic

beforeEach(async () => {
  gateway = await startGateway()
  // Claude Code's ANTHROPIC_AUTH_TOKEN: the key goes as `Authorization: Bearer`.
  client = new Anthropic({ baseURL: gateway.url, apiKey: null, authToken: gateway.key, maxRetries: 0 })
})

afterEach(async () => {
  await gateway.close()
})

function upstream(): { path: string; body: Record<string, unknown> } {
  const last = gateway.fake.requests.at(-1)
  if (!last) throw new Error('the fake provider received nothing')
  return { path: last.path, body: JSON.parse(last.body) as Record<string, unknown> }
}

/** The OpenAI chat request the fake received: roles in order, the system texts at their places, every tool. */
function expectWellFormedChatRequest(stream: boolean) {
  const { path, body: sent } = upstream()
  expect(path).toBe('/openai/v1/chat/completions')
  const messages = sent.messages as { role: string; content: string }[]
  expect(messages.map((m) => m.role)).toEqual(['system', 'system', 'system', 'user', 'system'])
  expect(messages.slice(0, 3).map((m) => m.content)).toEqual(recorded.body.system.map((b) => b.text))
  expect(messages[4]?.content).toMatch(/^# Environment\n/)
  const tools = sent.tools as { type: string; function: { name: string; parameters: unknown } }[]
  expect(tools.map((t) => t.function.name)).toEqual(TOOL_NAMES)
  expect(tools.every((t, i) => t.type === 'function' && JSON.stringify(t.function.parameters) === JSON.stringify(recorded.body.tools[i]?.input_schema))).toBe(true)
  expect(sent).toMatchObject({ model: 'gpt-5', max_completion_tokens: 32000, reasoning_effort: 'high', user: expect.stringMatching(/^[0-9a-f]{64}$/) })
  expect(sent.stream === true).toBe(stream)
  expect(gateway.fake.requests.at(-1)?.headers['anthropic-beta']).toBeUndefined()
  for (const field of ['context_management', 'safeguards', 'thinking', 'output_config', 'metadata', 'system']) expect(sent).not.toHaveProperty(field)
}

describe('Claude Code → openai connection (issue #11)', () => {
  it('its first request as it sends it (raw, ?beta=true, Bearer, its betas): 200, a streamed Anthropic answer, drops named', async () => {
    const response = await fetch(`${gateway.url}${recorded.url}`, {
      method: 'POST',
      headers: { ...recorded.headers, authorization: `Bearer ${gateway.key}` },
      body: JSON.stringify(body),
    })
    const text = await response.text()
    expect(response.status, text).toBe(200)
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/)
    expect(response.headers.get(HEADERS.degraded)).toBe(DEGRADED)
    const events = text.split('\n\n').filter(Boolean).map((e) => e.split('\n')[0])
    expect(events[0]).toBe('event: message_start')
    expect(events.at(-1)).toBe('event: message_stop')
    expectWellFormedChatRequest(true)
    const [event] = await waitForLogEvents(gateway, 1)
    expect(event).toMatchObject({ outcome: 'success', stream: true })
  })

  it('streamed through the SDK (beta.messages.stream): the answer parses, every tool call with its input', async () => {
    const stream = client.beta.messages.stream(body as unknown as BetaMessageStreamParams, { headers: { 'anthropic-beta': recorded.headers['anthropic-beta'] } })
    const { response } = await stream.withResponse()
    const message = await stream.finalMessage()
    expect(response.headers.get(HEADERS.degraded)).toBe(DEGRADED)
    // The fake calls every tool it is offered, with arguments made from each schema.
    expect(message.stop_reason).toBe('tool_use')
    const uses = message.content.flatMap((b) => (b.type === 'tool_use' ? [b] : []))
    expect(uses.map((b) => b.name)).toEqual(TOOL_NAMES)
    expect(uses.every((b) => typeof b.input === 'object' && b.input !== null)).toBe(true)
    expect(message.usage.output_tokens).toBeGreaterThan(0)
    expectWellFormedChatRequest(true)
  })

  it('not streamed through the SDK (beta.messages.create): the answer parses', async () => {
    const { data, response } = await client.beta.messages
      .create({ ...body, stream: false } as unknown as MessageCreateParamsNonStreaming, {
        headers: { 'anthropic-beta': recorded.headers['anthropic-beta'] },
        // The SDK refuses a non-streamed max_tokens of 32000 unless a timeout is named.
        timeout: 60_000,
      })
      .withResponse()
    expect(response.status).toBe(200)
    expect(response.headers.get(HEADERS.degraded)).toBe(DEGRADED)
    expect(data).toMatchObject({ type: 'message', role: 'assistant', model: 'gpt-5', stop_reason: 'tool_use' })
    expect(data.content.flatMap((b) => (b.type === 'tool_use' ? [b.name] : []))).toEqual(TOOL_NAMES)
    expectWellFormedChatRequest(false)
  })

  it('the follow-up after its tools ran (as Claude Code sends it: the system message now a string, tool results cache-marked) → the final answer', async () => {
    const first = await client.beta.messages.stream(body as unknown as BetaMessageStreamParams).finalMessage()
    const uses = first.content.flatMap((b) => (b.type === 'tool_use' ? [b] : []))
    const [prompt, environment] = recorded.body.messages as [unknown, { content: { text: string }[] }]
    const followUp = {
      ...body,
      messages: [
        prompt,
        { role: 'system', content: environment.content.map((b) => b.text).join('') },
        { role: 'assistant', content: first.content },
        { role: 'user', content: uses.map((b, i) => ({ type: 'tool_result', tool_use_id: b.id, content: `result ${i}`, is_error: false, ...(i === uses.length - 1 ? { cache_control: { type: 'ephemeral' } } : {}) })) },
      ],
    }
    const final = await client.beta.messages.stream(followUp as unknown as BetaMessageStreamParams).finalMessage()
    expect(final.stop_reason).toBe('end_turn')
    expect(final.content).toEqual([{ type: 'text', text: `Tool said: ${uses.map((_, i) => `result ${i}`).join(' | ')}` }])
    const roles = (upstream().body.messages as { role: string }[]).map((m) => m.role)
    expect(roles).toEqual(['system', 'system', 'system', 'user', 'system', 'assistant', ...uses.map(() => 'tool')])
  })

  it('an edit that would clear something is a 400 in the Anthropic error shape, before anything goes upstream', async () => {
    const clearing = { ...body, context_management: { edits: [{ type: 'clear_tool_uses_20250919', trigger: { type: 'input_tokens', value: 100000 } }] } }
    const err = await client.beta.messages.create(clearing as unknown as MessageCreateParamsNonStreaming).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(Anthropic.BadRequestError)
    const apiError = err as InstanceType<typeof Anthropic.APIError>
    expect(apiError.error).toMatchObject({ type: 'error', error: { type: 'invalid_request_error', message: expect.stringMatching(/'context_management.edits.0': clearing old tool uses/) } })
    expect(apiError.headers?.get(HEADERS.error)).toBe('SY_ERR_REQUEST_UNTRANSLATABLE')
    expect(gateway.fake.requests).toHaveLength(0)
  })
})

describe('Claude Code → anthropic connection', () => {
  it('passes its first request through byte for byte (only `model` is replaced)', async () => {
    const raw = JSON.stringify({ ...recorded.body, model: 'anthropic/claude-opus-4-5' })
    const response = await fetch(`${gateway.url}${recorded.url}`, { method: 'POST', headers: { ...recorded.headers, authorization: `Bearer ${gateway.key}` }, body: raw })
    expect(response.status, await response.text()).toBe(200)
    expect(response.headers.get(HEADERS.degraded)).toBeNull()
    const sent = gateway.fake.requests.at(-1)
    expect(sent?.path).toBe('/anthropic/v1/messages')
    expect(sent?.body).toBe(raw.replace('"model":"anthropic/claude-opus-4-5"', '"model":"claude-opus-4-5"'))
    expect(sent?.headers['anthropic-beta']).toBe(recorded.headers['anthropic-beta'])
  })
})

/** Adds a google and a bedrock connection to the default snapshot. */
async function publishGoogleAndBedrock(): Promise<void> {
  const parts = gateway.defaultParts(2)
  parts.providers = [
    ...(parts.providers ?? []),
    { id: 'prov_google', name: 'google', type: 'google', baseUrl: gateway.fake.googleBaseUrl },
    { id: 'prov_bedrock', name: 'bedrock', type: 'bedrock', baseUrl: gateway.fake.bedrockBaseUrl },
  ]
  const snapshot = buildTestSnapshot(parts, gateway.keyring)
  snapshot.providers = snapshot.providers.map((p) =>
    p.type === 'bedrock' ? { ...p, settings: { region: 'us-east-1' }, credential: seal(JSON.stringify(FAKE_AWS_CREDENTIALS), gateway.keyring, providerCredentialAad(p.teamId, p.id)) } : p,
  )
  await gateway.infra.snapshots.publish(2, JSON.stringify(snapshot))
  const deadline = Date.now() + 2_000
  while ((gateway.dataPlane.app.snapshots.runtime?.version ?? 0) < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10))
}

describe('Claude Code → google and bedrock connections: only a leading system prompt there', () => {
  const cases = [
    { model: 'google/gemini-2.5-flash', system: (sent: Record<string, unknown>) => (sent.systemInstruction as { parts: { text: string }[] }).parts.map((p) => p.text) },
    { model: 'bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0', system: (sent: Record<string, unknown>) => (sent.system as { text: string }[]).map((p) => p.text) },
  ]
  for (const { model, system } of cases) {
    it(`${model.split('/')[0] ?? ''}: 200; the mid-conversation system message joins the system prompt, named`, async () => {
      await publishGoogleAndBedrock()
      const stream = client.beta.messages.stream({ ...body, model } as unknown as BetaMessageStreamParams)
      const { response } = await stream.withResponse()
      const message = await stream.finalMessage()
      expect(message.role).toBe('assistant')
      expect(response.headers.get(HEADERS.degraded)).toContain('system message position (moved to the system prompt)')
      expect(response.headers.get(HEADERS.degraded)).toContain('context_management (clear_thinking_20251015 keep=all: nothing to clear)')
      const sent = JSON.parse(gateway.fake.requests.at(-1)?.body ?? '{}') as Record<string, unknown>
      const texts = system(sent)
      expect(texts.slice(0, 3)).toEqual(recorded.body.system.map((b) => b.text))
      expect(texts[3]).toMatch(/^# Environment\n/)
    })
  }
})
