import type { RequestLogEvent } from '@switchyard/shared/events'
import { HEADERS } from '@switchyard/shared/headers'
import { providerCredentialAad, seal } from '@switchyard/shared/crypto'
import OpenAI from 'openai'
import type { Response, ResponseCreateParamsNonStreaming, ResponseInputItem } from 'openai/resources/responses/responses'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestSnapshot, type Gateway, startGateway, waitForLogEvents } from '../../data-plane/src/testing/gateway-fixture.ts'
import { FAKE_AWS_CREDENTIALS } from '../fake-providers/bedrock.ts'

// The official OpenAI SDK's Responses API (`client.responses.create` / `.stream`) through the
// data plane to connections that do not speak it: anthropic, google, bedrock, and
// openai-compatible / azure-openai (Chat Completions upstream), served by the `responses` client dialect. Text, a tool call round trip, image input and
// structured output, JSON and streamed; usage is the provider's, in the response and the log.

type Connection = 'anthropic' | 'google' | 'bedrock' | 'compat' | 'azure'
const MODELS: Record<Connection, string> = {
  azure: 'azure/gpt-4o',
  compat: 'compat/llama-3.1-8b',
  anthropic: 'anthropic/claude-sonnet-4-5',
  google: 'google/gemini-2.5-flash',
  bedrock: 'bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0',
}
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII='
const SCHEMA = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false }

let gateway: Gateway
let client: OpenAI

async function publishConnections(): Promise<void> {
  const parts = gateway.defaultParts(2)
  parts.providers = [
    ...(parts.providers ?? []),
    { id: 'prov_google', name: 'google', type: 'google', baseUrl: gateway.fake.googleBaseUrl },
    { id: 'prov_bedrock', name: 'bedrock', type: 'bedrock', baseUrl: gateway.fake.bedrockBaseUrl },
    { id: 'prov_compat', name: 'compat', type: 'openai-compatible', baseUrl: gateway.fake.openaiBaseUrl },
    { id: 'prov_azure', name: 'azure', type: 'azure-openai', baseUrl: gateway.fake.azureBaseUrl, settings: { apiVersion: '2024-10-21', deployments: { 'gpt-4o': 'prod-gpt-4o' } } },
  ]
  const snapshot = buildTestSnapshot(parts, gateway.keyring)
  snapshot.providers = snapshot.providers.map((p) =>
    p.type === 'bedrock'
      ? { ...p, settings: { region: 'us-east-1' }, credential: seal(JSON.stringify(FAKE_AWS_CREDENTIALS), gateway.keyring, providerCredentialAad(p.teamId, p.id)) }
      : p,
  )
  await gateway.infra.snapshots.publish(2, JSON.stringify(snapshot))
  const deadline = Date.now() + 2_000
  while ((gateway.dataPlane.app.snapshots.runtime?.version ?? 0) < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10))
}

beforeAll(async () => {
  gateway = await startGateway()
  await publishConnections()
  client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: gateway.key, maxRetries: 0 })
})

afterAll(async () => {
  await gateway.close()
})

type Params = Omit<ResponseCreateParamsNonStreaming, 'model' | 'stream'>
const run = (model: string, stream: boolean, params: Params): Promise<Response> =>
  stream ? client.responses.stream({ model, ...params }).finalResponse() : client.responses.create({ model, ...params, stream: false })

/** This connection's log event for its text test (the log is shared by the whole file). */
async function logEventOf(provider: string, stream: boolean): Promise<RequestLogEvent | undefined> {
  const deadline = Date.now() + 2_000
  for (;;) {
    const events = await waitForLogEvents(gateway, 1)
    const event = events.find((e) => e.endpoint === '/v1/responses' && e.provider === provider && e.stream === stream)
    if (event || Date.now() > deadline) return event
    await new Promise((r) => setTimeout(r, 20))
  }
}

/** The output text: `response.output_text` (the SDK adds it to create()'s result, not to finalResponse()'s), else the message items'. */
function textOf(response: Response): string {
  const joined = response.output.flatMap((item) => (item.type === 'message' ? item.content.flatMap((c) => (c.type === 'output_text' ? [c.text] : [])) : [])).join('')
  if (typeof response.output_text === 'string') expect(response.output_text).toBe(joined)
  return joined
}

function expectUsage(response: Response): void {
  expect(response.usage?.input_tokens).toBeGreaterThan(0)
  expect(response.usage?.output_tokens).toBeGreaterThan(0)
  expect(response.usage?.total_tokens).toBe((response.usage?.input_tokens ?? 0) + (response.usage?.output_tokens ?? 0))
}

for (const connection of ['anthropic', 'google', 'bedrock', 'compat', 'azure'] as const) {
  const model = MODELS[connection]
  for (const stream of [false, true]) {
    describe(`OpenAI SDK responses → ${connection} (${stream ? 'stream' : 'JSON'})`, () => {
      it('text: output_text, status, usage (also in the log)', async () => {
        const response = await run(model, stream, { input: 'Hello responses', instructions: 'Be brief.' })
        expect(response.object).toBe('response')
        expect(response.id).toMatch(/^resp_/)
        expect(response.status).toBe('completed')
        expect(textOf(response)).toBe('Hello responses')
        expect(response.instructions).toBe('Be brief.')
        expectUsage(response)
        const event = await logEventOf(connection, stream)
        expect(event).toMatchObject({ outcome: 'success', usage: { promptTokens: response.usage?.input_tokens, completionTokens: response.usage?.output_tokens } })
      })

      it('tool call round trip: function_call → function_call_output → final answer', async () => {
        const tools: OpenAI.Responses.Tool[] = [{ type: 'function', name: 'lookup', parameters: SCHEMA, strict: true }]
        const input: ResponseInputItem[] = [{ role: 'user', content: 'Oslo' }]
        const first = await run(model, stream, { input, tools })
        const call = first.output.find((item) => item.type === 'function_call')
        if (call?.type !== 'function_call') throw new Error('no function_call item')
        expect(call).toMatchObject({ name: 'lookup', status: 'completed' })
        expect(call.id).toMatch(/^fc_/)
        expect(JSON.parse(call.arguments)).toEqual({ city: 'Oslo' })
        input.push(...first.output.filter((item) => item.type === 'function_call'), { type: 'function_call_output', call_id: call.call_id, output: 'cold' })
        const final = await run(model, stream, { input, tools })
        expect(textOf(final)).toBe('Tool said: cold')
        expectUsage(final)
      })

      it('image input (data URL)', async () => {
        const response = await run(model, stream, {
          input: [{ role: 'user', content: [{ type: 'input_text', text: 'Look: ' }, { type: 'input_image', image_url: `data:image/png;base64,${PNG}`, detail: 'auto' }] }],
        })
        expect(textOf(response)).toBe(`Look: [image image/png base64 length=${PNG.length}]`)
      })

      it('structured output (text.format json_schema)', async () => {
        const response = await run(model, stream, { input: 'Oslo', text: { format: { type: 'json_schema', name: 'city', schema: SCHEMA, strict: true } } })
        expect(JSON.parse(textOf(response))).toEqual({ city: 'Oslo' })
        expect(response.text?.format).toMatchObject({ type: 'json_schema', name: 'city' })
      })
    })
  }
}

describe('Responses API translation: stream grammar and refusals', () => {
  it('streams the documented events with increasing sequence numbers', async () => {
    const response = await client.responses.create({ model: MODELS.anthropic, input: 'one two', stream: true }).asResponse()
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/)
    const frames = (await response.text()).split('\n\n').filter(Boolean)
    const events = frames.map((f) => ({ event: f.slice('event: '.length, f.indexOf('\n')), data: JSON.parse(f.slice(f.indexOf('data: ') + 6)) as { type: string; sequence_number: number } }))
    expect(events.every((e) => e.event === e.data.type)).toBe(true)
    expect(events.map((e) => e.data.sequence_number)).toEqual(events.map((_, i) => i))
    const types = events.map((e) => e.event)
    expect(types.slice(0, 4)).toEqual(['response.created', 'response.in_progress', 'response.output_item.added', 'response.content_part.added'])
    expect(types).toContain('response.output_text.delta')
    expect(types.slice(-4)).toEqual(['response.output_text.done', 'response.content_part.done', 'response.output_item.done', 'response.completed'])
  })

  it('refuses previous_response_id and built-in tools with a 400, names `store` as degraded', async () => {
    const refused = await client.responses.create({ model: MODELS.google, input: 'x', previous_response_id: 'resp_1' }).catch((err: unknown) => err)
    expect(refused).toBeInstanceOf(OpenAI.BadRequestError)
    expect((refused as InstanceType<typeof OpenAI.BadRequestError>).message).toContain('previous_response_id')
    const builtIn = await client.responses.create({ model: MODELS.bedrock, input: 'x', tools: [{ type: 'web_search' }] }).catch((err: unknown) => err)
    expect(builtIn).toMatchObject({ status: 400, code: 'unsupported_parameter', param: 'tools.0' })
    const { response } = await client.responses.create({ model: MODELS.anthropic, input: 'x', store: true }).withResponse()
    expect(response.headers.get(HEADERS.degraded)).toBe('store')
  })
})
