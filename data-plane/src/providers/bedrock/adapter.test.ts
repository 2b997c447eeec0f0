import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FAKE_AWS_CREDENTIALS } from '../../../../test/fake-providers/bedrock.ts'
import { type FakeProviders, startFakeProviders } from '../../../../test/fake-providers/server.ts'
import { type CanonicalChatRequest, emptyRequest } from '../../dialects/canonical.ts'
import type { RuntimeProvider } from '../../runtime/compile.ts'
import { bedrockAdapter, converseRequest } from './adapter.ts'
import { STRUCTURED_OUTPUT_TOOL } from './from-upstream.ts'
import { BedrockStreamDecoder } from './stream-decoder.ts'

const MODEL = 'anthropic.claude-3-5-sonnet-20240620-v1:0'
const provider = (baseUrl: string, aws: RuntimeProvider['aws'] = FAKE_AWS_CREDENTIALS): RuntimeProvider => ({
  id: 'prov_b',
  teamId: 'team_1',
  name: 'bedrock',
  type: 'bedrock',
  baseUrl,
  apiKey: JSON.stringify(aws),
  ...(aws ? { aws } : {}),
  settings: { region: 'us-east-1' },
  timeouts: { connectMs: 1, firstByteMs: 1, idleMs: 1, totalMs: 1 },
})
const translator = bedrockAdapter.translator
if (!translator) throw new Error('bedrock adapter has a translator')
const SCHEMA = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] }

const build = (request: Partial<CanonicalChatRequest>) => {
  const built = translator.toUpstream({ provider: provider('https://bedrock-runtime.us-east-1.amazonaws.com'), upstreamModel: MODEL, request: { ...emptyRequest(), ...request } })
  return { ...built, body: JSON.parse(String(built.request.body ?? '')) as Record<string, unknown> }
}

describe('bedrock translator: requests', () => {
  it('posts to /model/<id>/converse (id encoded once) and /converse-stream, SigV4-signed for bedrock in the region', () => {
    const { request, body } = build({ system: ['Be brief.'], messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }], maxTokens: 50, temperature: 0.2, topP: 0.9, stop: ['END'] })
    expect(request.url.href).toBe('https://bedrock-runtime.us-east-1.amazonaws.com/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse')
    expect(request.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIAFAKEBEDROCK00001\/\d{8}\/us-east-1\/bedrock\/aws4_request, SignedHeaders=accept;content-type;host;x-amz-date, Signature=[0-9a-f]{64}$/)
    expect(request.headers).not.toHaveProperty('host')
    expect(body).toEqual({ messages: [{ role: 'user', content: [{ text: 'hi' }] }], system: [{ text: 'Be brief.' }], inferenceConfig: { maxTokens: 50, temperature: 0.2, topP: 0.9, stopSequences: ['END'] } })
    expect(build({ stream: true }).request.url.pathname).toMatch(/\/converse-stream$/)
  })

  it('maps images, tools, tool choice and a multi-turn tool round trip (results lead their turn)', () => {
    const { body, degraded } = build({
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'Look' }, { type: 'image', source: { kind: 'base64', mediaType: 'image/jpeg', data: 'AAAA' }, detail: 'high' }] },
        { role: 'assistant', content: [{ type: 'tool_call', id: 'call_1', name: 'lookup', arguments: '{"city":"Oslo"}' }] },
        { role: 'user', content: [{ type: 'text', text: 'and?' }, { type: 'tool_result', toolCallId: 'call_1', content: [{ type: 'text', text: 'cold' }], isError: true }] },
      ],
      tools: [{ name: 'lookup', description: 'Find', parameters: SCHEMA, strict: null }],
      toolChoice: { type: 'required' },
      seed: 7,
    })
    expect(body.messages).toEqual([
      { role: 'user', content: [{ text: 'Look' }, { image: { format: 'jpeg', source: { bytes: 'AAAA' } } }] },
      { role: 'assistant', content: [{ toolUse: { toolUseId: 'call_1', name: 'lookup', input: { city: 'Oslo' } } }] },
      { role: 'user', content: [{ toolResult: { toolUseId: 'call_1', content: [{ text: 'cold' }], status: 'error' } }, { text: 'and?' }] },
    ])
    expect(body.toolConfig).toEqual({ tools: [{ toolSpec: { name: 'lookup', description: 'Find', inputSchema: { json: SCHEMA } } }], toolChoice: { any: {} } })
    expect(degraded).toEqual(['image_url.detail', 'seed'])
  })

  it('asks for structured output through a forced tool, and refuses image URLs with a clear 400', () => {
    const { body } = build({ messages: [{ role: 'user', content: [{ type: 'text', text: 'Oslo' }] }], responseFormat: { type: 'json_schema', name: 'city', description: null, schema: SCHEMA, strict: true } })
    expect(body.toolConfig).toMatchObject({ tools: [{ toolSpec: { name: STRUCTURED_OUTPUT_TOOL, inputSchema: { json: SCHEMA } } }], toolChoice: { tool: { name: STRUCTURED_OUTPUT_TOOL } } })
    const url = { messages: [{ role: 'user' as const, content: [{ type: 'image' as const, source: { kind: 'url' as const, url: 'https://x/y.png' }, detail: null }] }] }
    expect(() => build(url)).toThrow(/inline only/)
  })
})

describe('bedrock SigV4 against the fake (which recomputes the signature)', () => {
  let fake: FakeProviders
  beforeAll(async () => {
    fake = await startFakeProviders()
  })
  afterAll(() => fake.close())

  const send = async (aws: RuntimeProvider['aws']) => {
    const request = converseRequest(provider(fake.bedrockBaseUrl, aws), MODEL, { messages: [{ role: 'user', content: [{ text: 'hi' }] }] }, false)
    const res = await fetch(request.url, { method: 'POST', headers: request.headers, body: request.body })
    return { status: res.status, type: res.headers.get('x-amzn-errortype'), json: (await res.json()) as Record<string, unknown> }
  }

  it('accepts a correctly signed request (model id with a colon, path signed encoded twice)', async () => {
    const ok = await send(FAKE_AWS_CREDENTIALS)
    expect(ok.status).toBe(200)
    expect(translator.fromUpstream(ok.json)?.content).toEqual([{ type: 'text', text: 'hi' }])
  })

  it('answers 403 InvalidSignatureException for a wrong secret and UnrecognizedClientException for an unknown key', async () => {
    const wrong = await send({ ...FAKE_AWS_CREDENTIALS, secretAccessKey: 'not-the-secret' })
    expect([wrong.status, wrong.type?.split(':')[0]]).toEqual([403, 'InvalidSignatureException'])
    expect(translator.errorFromUpstream(403, wrong.json).kind).toBe('authentication')
    const unknown = await send({ accessKeyId: 'AKIAUNKNOWN', secretAccessKey: 'x' })
    expect([unknown.status, unknown.type?.split(':')[0]]).toEqual([403, 'UnrecognizedClientException'])
  })
})

describe('bedrock translator: responses, streams, errors', () => {
  it('reads content blocks, stop reasons and usage (cache reads and writes in the prompt)', () => {
    const response = translator.fromUpstream({
      output: { message: { role: 'assistant', content: [{ reasoningContent: { reasoningText: { text: 'hmm', signature: 'sig' } } }, { text: 'Hi' }, { toolUse: { toolUseId: 'tu_1', name: 'f', input: { a: 1 } } }] } },
      stopReason: 'tool_use',
      usage: { inputTokens: 10, outputTokens: 5, totalTokens: 20, cacheReadInputTokens: 3, cacheWriteInputTokens: 2 },
    })
    expect(response).toMatchObject({
      content: [{ type: 'thinking', text: 'hmm', signature: 'sig' }, { type: 'text', text: 'Hi' }, { type: 'tool_call', id: 'tu_1', name: 'f', arguments: '{"a":1}' }],
      stopReason: 'tool_use',
      usage: { promptTokens: 15, completionTokens: 5, totalTokens: 20, cachedPromptTokens: 3, reasoningTokens: null, cacheWriteTokens: 2 },
    })
    const stop = (stopReason: string) => translator.fromUpstream({ output: { message: { content: [] } }, stopReason })?.stopReason
    expect(['end_turn', 'max_tokens', 'stop_sequence', 'content_filtered', 'guardrail_intervened'].map(stop)).toEqual(['end_turn', 'max_tokens', 'stop_sequence', 'refusal', 'refusal'])
    const structured = translator.fromUpstream({ output: { message: { content: [{ toolUse: { toolUseId: 't', name: STRUCTURED_OUTPUT_TOOL, input: { city: 'Oslo' } } }] } }, stopReason: 'tool_use' })
    expect(structured).toMatchObject({ content: [{ type: 'text', text: '{"city":"Oslo"}' }], stopReason: 'end_turn' })
  })

  it('decodes ConverseStream events; metadata ends the stream with the stop reason and usage', () => {
    const decoder = new BedrockStreamDecoder()
    const steps = [
      ['messageStart', { role: 'assistant' }],
      ['contentBlockDelta', { contentBlockIndex: 0, delta: { reasoningContent: { text: 'hm' } } }],
      ['contentBlockDelta', { contentBlockIndex: 0, delta: { reasoningContent: { signature: 's' } } }],
      ['contentBlockStop', { contentBlockIndex: 0 }],
      ['contentBlockDelta', { contentBlockIndex: 1, delta: { text: 'Hi' } }],
      ['contentBlockStop', { contentBlockIndex: 1 }],
      ['contentBlockStart', { contentBlockIndex: 2, start: { toolUse: { toolUseId: 'tu', name: 'f' } } }],
      ['contentBlockDelta', { contentBlockIndex: 2, delta: { toolUse: { input: '{}' } } }],
      ['contentBlockStop', { contentBlockIndex: 2 }],
      ['messageStop', { stopReason: 'tool_use' }],
      ['metadata', { usage: { inputTokens: 2, outputTokens: 3, totalTokens: 5 } }],
    ] as const
    const results = steps.map(([event, payload]) => decoder.decode(JSON.stringify(payload), event))
    const types = results.flatMap((r) => r.events).map((e) => (e.type === 'block_start' ? `start:${e.block.type}` : e.type === 'block_delta' ? `delta:${e.delta.type}` : e.type))
    expect(types).toEqual(['message_start', 'start:thinking', 'delta:thinking', 'delta:signature', 'block_stop', 'start:text', 'delta:text', 'block_stop', 'start:tool_call', 'delta:tool_arguments', 'block_stop', 'message_delta', 'message_stop'])
    expect(results.at(-1)?.facts.done).toBe(true)
    expect(results.at(-1)?.events[0]).toMatchObject({ stopReason: 'tool_use', usage: { promptTokens: 2, completionTokens: 3 } })
  })

  it('maps exceptions to statuses: throttling 429, serviceUnavailable 503, validation 400 (HTTP and in-stream)', () => {
    const decode = (type: string) => new BedrockStreamDecoder().decode('{"message":"m"}', `exception:${type}`)
    expect(decode('throttlingException').facts.errorStatus).toBe(429)
    expect(decode('serviceUnavailableException').events[0]).toEqual({ type: 'error', error: { kind: 'overloaded', status: 503, message: 'm' } })
    expect(decode('validationException').facts.errorStatus).toBe(400)
    expect(translator.errorFromUpstream(429, { message: 'Too many requests' })).toEqual({ kind: 'rate_limit', status: 429, message: 'Too many requests' })
    expect(translator.errorFromUpstream(400, { __type: 'com.amazon.coral.validate#ValidationException', message: 'bad' }).kind).toBe('invalid_request')
  })
})
