import { describe, expect, it } from 'vitest'
import { type CanonicalChatRequest, emptyRequest } from '../../dialects/canonical.ts'
import { GatewayError } from '../../errors.ts'
import type { RuntimeProvider } from '../../runtime/compile.ts'
import { googleAdapter } from './adapter.ts'
import { GeminiStreamDecoder } from './stream-decoder.ts'

const provider: RuntimeProvider = {
  id: 'prov_g',
  teamId: 'team_1',
  name: 'gemini',
  type: 'google',
  baseUrl: 'http://127.0.0.1:9/google/',
  apiKey: 'AIza-upstream',
  settings: {},
  timeouts: { connectMs: 1, firstByteMs: 1, idleMs: 1, totalMs: 1 },
}
const translator = googleAdapter.translator
if (!translator) throw new Error('google adapter has a translator')

const PNG = 'iVBORw0KGgo='
const SCHEMA = { $schema: 'http://json-schema.org/draft-07/schema#', type: 'object', properties: { city: { type: ['string', 'null'] }, tags: { type: 'array', items: { type: 'string', const: 'x' } } }, required: ['city'], additionalProperties: false }

const build = (request: Partial<CanonicalChatRequest>) => {
  const built = translator.toUpstream({ provider, upstreamModel: 'gemini-2.5-flash', request: { ...emptyRequest(), ...request } })
  return { ...built, body: JSON.parse(String(built.request.body ?? '')) as Record<string, unknown> }
}

describe('google translator: requests', () => {
  it('calls generateContent / streamGenerateContent?alt=sse with the key in x-goog-api-key, never in the URL', () => {
    const plain = build({ messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }] })
    expect(plain.request.url.href).toBe('http://127.0.0.1:9/google/v1beta/models/gemini-2.5-flash:generateContent')
    expect(plain.request.headers['x-goog-api-key']).toBe('AIza-upstream')
    expect(plain.body).toEqual({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }] })
    const streamed = build({ stream: true, messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }] })
    expect(streamed.request.url.href).toBe('http://127.0.0.1:9/google/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse')
    expect(streamed.request.url.searchParams.has('key')).toBe(false)
  })

  it('maps system, sampling, images, tools (schemas normalised, dropped keywords named) and tool choice', () => {
    const { body, degraded } = build({
      system: ['Be brief.', 'Be kind.'],
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Look' }, { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: PNG }, detail: null }] }],
      maxTokens: 100,
      temperature: 0.5,
      topP: 0.9,
      stop: ['END'],
      tools: [{ name: 'lookup', description: 'Find', parameters: SCHEMA, strict: true }],
      toolChoice: { type: 'tool', name: 'lookup' },
    })
    expect(body.systemInstruction).toEqual({ parts: [{ text: 'Be brief.' }, { text: 'Be kind.' }] })
    expect(body.contents).toEqual([{ role: 'user', parts: [{ text: 'Look' }, { inlineData: { mimeType: 'image/png', data: PNG } }] }])
    expect(body.generationConfig).toEqual({ maxOutputTokens: 100, temperature: 0.5, topP: 0.9, stopSequences: ['END'] })
    const parameters = { type: 'object', properties: { city: { type: 'string', nullable: true }, tags: { type: 'array', items: { type: 'string', enum: ['x'] } } }, required: ['city'] }
    expect(body.tools).toEqual([{ functionDeclarations: [{ name: 'lookup', description: 'Find', parameters }] }])
    expect(body.toolConfig).toEqual({ functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['lookup'] } })
    expect(degraded).toEqual(['json_schema.$schema', 'json_schema.additionalProperties', 'json_schema.strict'])
  })

  it('maps structured output to responseMimeType + a normalised responseSchema, and reasoning to thinkingConfig', () => {
    const { body } = build({
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Oslo' }] }],
      responseFormat: { type: 'json_schema', name: 'city', description: null, schema: SCHEMA, strict: null },
      reasoning: { effort: 'low', budgetTokens: null },
    })
    expect(body.generationConfig).toMatchObject({ responseMimeType: 'application/json', responseSchema: { type: 'object', required: ['city'] }, thinkingConfig: { thinkingBudget: 1024, includeThoughts: true } })
    expect(JSON.stringify(body)).not.toContain('additionalProperties')
  })

  it('maps a multi-turn tool round trip: functionCall parts, functionResponse by the name of the call', () => {
    const { body } = build({
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'Oslo' }] },
        { role: 'assistant', content: [{ type: 'tool_call', id: 'call_0_lookup', name: 'lookup', arguments: '{"city":"Oslo"}' }, { type: 'tool_call', id: 'toolu_9', name: 'time', arguments: '' }] },
        { role: 'user', content: [{ type: 'tool_result', toolCallId: 'toolu_9', content: [{ type: 'text', text: '12:00' }], isError: false }, { type: 'tool_result', toolCallId: 'call_0_lookup', content: [{ type: 'text', text: 'cold' }], isError: true }] },
      ],
    })
    expect(body.contents).toEqual([
      { role: 'user', parts: [{ text: 'Oslo' }] },
      { role: 'model', parts: [{ functionCall: { name: 'lookup', args: { city: 'Oslo' } } }, { functionCall: { name: 'time', args: {} } }] },
      { role: 'user', parts: [{ functionResponse: { name: 'time', response: { content: '12:00' } } }, { functionResponse: { name: 'lookup', response: { error: 'cold' } } }] },
    ])
  })

  it('carries a functionCall thoughtSignature through the call id and sends it back with the call', () => {
    const answer = translator.fromUpstream({ candidates: [{ content: { parts: [{ functionCall: { name: 'f', args: {} }, thoughtSignature: 'c2lnbmF0dXJl+/=' }] }, finishReason: 'STOP' }] })
    const call = answer?.content[0]
    if (call?.type !== 'tool_call') throw new Error('no tool call')
    expect(call.id).toMatch(/^gts_[A-Za-z0-9_-]+$/)
    const { body } = build({ messages: [{ role: 'user', content: [{ type: 'text', text: 'x' }] }, { role: 'assistant', content: [call] }, { role: 'user', content: [{ type: 'tool_result', toolCallId: call.id, content: [{ type: 'text', text: 'ok' }], isError: false }] }] })
    expect((body.contents as { parts: unknown[] }[])[1]?.parts).toEqual([{ functionCall: { name: 'f', args: {} }, thoughtSignature: 'c2lnbmF0dXJl+/=' }])
  })

  it('refuses image URLs with a clear 400 (Gemini cannot fetch them; only inline data)', () => {
    const request = { messages: [{ role: 'user' as const, content: [{ type: 'image' as const, source: { kind: 'url' as const, url: 'https://example.com/cat.jpg' }, detail: null }] }] }
    expect(() => build(request)).toThrow(GatewayError)
    expect(() => build(request)).toThrow(/inline only/)
  })
})

describe('google translator: responses, streams, errors', () => {
  const usageMetadata = { promptTokenCount: 10, candidatesTokenCount: 5, totalTokenCount: 18, cachedContentTokenCount: 4, thoughtsTokenCount: 3 }

  it('reads text, thoughts, function calls (stable synthesised ids), finish reasons and usage', () => {
    const response = translator.fromUpstream({
      candidates: [{ content: { role: 'model', parts: [{ text: 'hmm', thought: true }, { text: 'Hi' }, { functionCall: { name: 'lookup', args: { city: 'Oslo' } } }] }, finishReason: 'STOP' }],
      usageMetadata,
      modelVersion: 'gemini-2.5-flash',
      responseId: 'resp_1',
    })
    expect(response).toEqual({
      id: 'resp_1',
      model: 'gemini-2.5-flash',
      content: [{ type: 'thinking', text: 'hmm', signature: null }, { type: 'text', text: 'Hi' }, { type: 'tool_call', id: 'call_0_lookup', name: 'lookup', arguments: '{"city":"Oslo"}' }],
      stopReason: 'tool_use',
      stopSequence: null,
      usage: { promptTokens: 10, completionTokens: 8, totalTokens: 18, cachedPromptTokens: 4, reasoningTokens: 3, cacheWriteTokens: null },
    })
    const finish = (finishReason: string) => translator.fromUpstream({ candidates: [{ content: { parts: [{ text: 'x' }] }, finishReason }] })?.stopReason
    expect([finish('STOP'), finish('MAX_TOKENS'), finish('SAFETY'), finish('RECITATION'), finish('OTHER')]).toEqual(['end_turn', 'max_tokens', 'refusal', 'refusal', 'end_turn'])
    expect(translator.fromUpstream({ promptFeedback: { blockReason: 'SAFETY' } })?.stopReason).toBe('refusal')
  })

  it('decodes a stream: blocks open by part kind, function calls whole, the finishReason chunk ends it', () => {
    const decoder = new GeminiStreamDecoder()
    const chunk = (parts: unknown[], finishReason?: string) => JSON.stringify({ candidates: [{ content: { role: 'model', parts }, ...(finishReason ? { finishReason } : {}) }], usageMetadata, modelVersion: 'gemini-x', responseId: 'r' })
    const events = [
      ...decoder.decode(chunk([{ text: 'think', thought: true }])).events,
      ...decoder.decode(chunk([{ text: 'Hel' }])).events,
      ...decoder.decode(chunk([{ text: 'lo' }])).events,
    ]
    const last = decoder.decode(chunk([{ functionCall: { name: 'f', args: { a: 1 } } }], 'STOP'))
    expect(last.facts.done).toBe(true)
    expect([...events, ...last.events].map((e) => (e.type === 'block_delta' ? `${e.index}:${JSON.stringify(e.delta)}` : e.type === 'block_start' ? `start ${e.index} ${e.block.type}` : e.type))).toEqual([
      'message_start',
      'start 0 thinking',
      '0:{"type":"thinking","text":"think"}',
      'block_stop',
      'start 1 text',
      '1:{"type":"text","text":"Hel"}',
      '1:{"type":"text","text":"lo"}',
      'block_stop',
      'start 2 tool_call',
      '2:{"type":"tool_arguments","json":"{\\"a\\":1}"}',
      'block_stop',
      'message_delta',
      'message_stop',
    ])
    expect(last.events.at(-2)).toMatchObject({ type: 'message_delta', stopReason: 'tool_use', usage: { promptTokens: 10 } })
    expect(decoder.model).toBe('gemini-x')
  })

  it('reads errors by their google.rpc status: 429 RESOURCE_EXHAUSTED, 503 UNAVAILABLE, invalid key, in-stream', () => {
    const body = (code: number, status: string, details: unknown[] = []) => ({ error: { code, message: 'm', status, details } })
    expect(translator.errorFromUpstream(429, body(429, 'RESOURCE_EXHAUSTED'))).toEqual({ kind: 'rate_limit', status: 429, message: 'm' })
    expect(translator.errorFromUpstream(503, body(503, 'UNAVAILABLE'))).toEqual({ kind: 'overloaded', status: 503, message: 'm' })
    expect(translator.errorFromUpstream(400, body(400, 'INVALID_ARGUMENT', [{ reason: 'API_KEY_INVALID' }]))).toMatchObject({ kind: 'authentication', status: 401 })
    expect(translator.errorFromUpstream(502, 'not json')).toMatchObject({ kind: 'api_error', status: 502 })
    const streamed = new GeminiStreamDecoder().decode(JSON.stringify(body(503, 'UNAVAILABLE')))
    expect(streamed.facts.errorStatus).toBe(503)
  })
})
