import { readFile, writeFile } from 'node:fs/promises'
import Anthropic from '@anthropic-ai/sdk'
import type { MessageParam } from '@anthropic-ai/sdk/resources/messages'
import OpenAI from 'openai'
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions'
import { providerCredentialAad, seal } from '@switchyard/shared/crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestSnapshot, type Gateway, startGateway } from '../../data-plane/src/testing/gateway-fixture.ts'
import { FAKE_AWS_CREDENTIALS } from '../fake-providers/bedrock.ts'

// The compatibility matrix (issue #3): {OpenAI SDK, Anthropic SDK} × {openai,
// openai-compatible, azure-openai, anthropic, google, bedrock connection} × {non-stream, stream} × {text, tool call round trip, image input, structured
// output}, each cell driven through the official SDK and asserted on what the SDK returns.
// docs/compatibility.md shows the table between its matrix markers; this test checks it is
// current, and rewrites it when run with SWITCHYARD_WRITE_COMPATIBILITY=1.

type Sdk = 'openai' | 'anthropic'
type Connection = 'openai' | 'openai-compatible' | 'azure-openai' | 'anthropic' | 'google' | 'bedrock'
type Feature = 'text' | 'tools' | 'image' | 'structured'
interface Cell {
  sdk: Sdk
  connection: Connection
  stream: boolean
  feature: Feature
}

const FEATURES: Record<Feature, string> = { text: 'Text', tools: 'Tool call round trip', image: 'Image input', structured: 'Structured output' }
const MODELS: Record<Connection, string> = {
  openai: 'fake/gpt-4o-mini',
  'openai-compatible': 'compat/llama-3.1-8b',
  'azure-openai': 'azure/gpt-4o',
  anthropic: 'anthropic/claude-sonnet-4-5',
  google: 'google/gemini-2.5-flash',
  bedrock: 'bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0',
}
/** The API family each connection type speaks: same family as the SDK = passthrough. */
const FAMILY: Record<Connection, Sdk | null> = { openai: 'openai', 'openai-compatible': 'openai', 'azure-openai': 'openai', anthropic: 'anthropic', google: null, bedrock: null }
const CONNECTIONS = Object.keys(MODELS) as Connection[]
/** Where each connection's requests must land on the fakes (proves the cell went to that adapter type). */
const UPSTREAM_PATHS: Record<Connection, RegExp> = {
  openai: /^\/openai\/v1\/chat\/completions$/,
  'openai-compatible': /^\/openai\/v1\/chat\/completions$/,
  'azure-openai': /^\/azure\/openai\/deployments\/prod-gpt-4o\/chat\/completions\?api-version=2024-10-21$/,
  anthropic: /^\/anthropic\/v1\/messages$/,
  google: /^\/google\/v1beta\/models\/gemini-2\.5-flash:(generateContent|streamGenerateContent\?alt=sse)$/,
  bedrock: /^\/bedrock\/model\/[^/]+\/converse(-stream)?$/,
}
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII='
const IMAGE_ECHO = `Look: [image image/png base64 length=${PNG.length}]`
const SCHEMA = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false }
const DOC = new URL('../../docs/compatibility.md', import.meta.url)
const MARKERS = ['<!-- matrix:start -->', '<!-- matrix:end -->'] as const

let gateway: Gateway
let openai: OpenAI
let anthropic: Anthropic
const results = new Map<string, 'pass'>()
const keyOf = (c: Cell) => `${c.sdk}|${c.connection}|${c.stream}|${c.feature}`

async function openaiCell(cell: Cell): Promise<void> {
  const model = MODELS[cell.connection]
  const run = (params: { messages: ChatCompletionMessageParam[] } & Omit<Partial<OpenAI.ChatCompletionCreateParamsNonStreaming>, 'stream'>) =>
    cell.stream
      ? openai.chat.completions.stream({ model, ...params, stream_options: { include_usage: true } }).finalChatCompletion()
      : openai.chat.completions.create({ model, ...params, stream: false })
  if (cell.feature === 'text' || cell.feature === 'image') {
    const content: OpenAI.ChatCompletionContentPart[] =
      cell.feature === 'text' ? [{ type: 'text', text: 'Hello matrix' }] : [{ type: 'text', text: 'Look: ' }, { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG}` } }]
    const done = await run({ messages: [{ role: 'user', content }] })
    expect(done.choices[0]?.message.content).toBe(cell.feature === 'text' ? 'Hello matrix' : IMAGE_ECHO)
    expect(done.choices[0]?.finish_reason).toBe('stop')
    expect(done.usage?.prompt_tokens).toBeGreaterThan(0)
  } else if (cell.feature === 'structured') {
    const done = await run({ messages: [{ role: 'user', content: 'Oslo' }], response_format: { type: 'json_schema', json_schema: { name: 'city', schema: SCHEMA, strict: true } } })
    expect(JSON.parse(done.choices[0]?.message.content ?? '')).toEqual({ city: 'Oslo' })
  } else {
    const tools: OpenAI.ChatCompletionTool[] = [{ type: 'function', function: { name: 'lookup', parameters: SCHEMA } }]
    const messages: ChatCompletionMessageParam[] = [{ role: 'user', content: 'Oslo' }]
    const first = await run({ messages, tools })
    const call = first.choices[0]?.message.tool_calls?.[0]
    expect(first.choices[0]?.finish_reason).toBe('tool_calls')
    if (call?.type !== 'function') throw new Error('no function tool call')
    expect(JSON.parse(call.function.arguments)).toEqual({ city: 'Oslo' })
    const assistant = first.choices[0]?.message
    if (!assistant) throw new Error('no message')
    messages.push(assistant, { role: 'tool', tool_call_id: call.id, content: 'cold' })
    const final = await run({ messages, tools })
    expect(final.choices[0]?.message.content).toBe('Tool said: cold')
  }
}

async function anthropicCell(cell: Cell): Promise<void> {
  const model = MODELS[cell.connection]
  const run = (params: { messages: MessageParam[] } & Omit<Partial<Anthropic.MessageCreateParamsNonStreaming>, 'stream'>) =>
    cell.stream ? anthropic.messages.stream({ model, max_tokens: 256, ...params }).finalMessage() : anthropic.messages.create({ model, max_tokens: 256, ...params, stream: false })
  const textOf = (message: Anthropic.Message) => message.content.flatMap((b) => (b.type === 'text' ? [b.text] : [])).join('')
  if (cell.feature === 'text' || cell.feature === 'image') {
    const content: Anthropic.ContentBlockParam[] =
      cell.feature === 'text' ? [{ type: 'text', text: 'Hello matrix' }] : [{ type: 'text', text: 'Look: ' }, { type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG } }]
    const done = await run({ messages: [{ role: 'user', content }] })
    expect(textOf(done)).toBe(cell.feature === 'text' ? 'Hello matrix' : IMAGE_ECHO)
    expect(done.stop_reason).toBe('end_turn')
    expect(done.usage.input_tokens).toBeGreaterThan(0)
  } else if (cell.feature === 'structured') {
    const done = await run({ messages: [{ role: 'user', content: 'Oslo' }], output_config: { format: { type: 'json_schema', schema: SCHEMA } } })
    expect(JSON.parse(textOf(done))).toEqual({ city: 'Oslo' })
  } else {
    const tools: Anthropic.Tool[] = [{ name: 'lookup', input_schema: { ...SCHEMA, type: 'object' } }]
    const messages: MessageParam[] = [{ role: 'user', content: 'Oslo' }]
    const first = await run({ messages, tools })
    const use = first.content.find((b) => b.type === 'tool_use')
    expect(first.stop_reason).toBe('tool_use')
    if (use?.type !== 'tool_use') throw new Error('no tool_use block')
    expect(use.input).toEqual({ city: 'Oslo' })
    messages.push({ role: 'assistant', content: first.content }, { role: 'user', content: [{ type: 'tool_result', tool_use_id: use.id, content: 'cold' }] })
    expect(textOf(await run({ messages, tools }))).toBe('Tool said: cold')
  }
}

const SDKS: Record<Sdk, { label: string; run: (cell: Cell) => Promise<void> }> = {
  openai: { label: 'OpenAI SDK (`openai` v6)', run: openaiCell },
  anthropic: { label: 'Anthropic SDK (`@anthropic-ai/sdk` v1)', run: anthropicCell },
}

const cells: Cell[] = (['openai', 'anthropic'] as const).flatMap((sdk) =>
  CONNECTIONS.flatMap((connection) =>
    [false, true].flatMap((stream) => (Object.keys(FEATURES) as Feature[]).map((feature) => ({ sdk, connection, stream, feature }))),
  ),
)

function table(): string {
  const header = ['Client', 'Connection type', 'Mode', ...Object.values(FEATURES)]
  const rows = cells
    .filter((c) => c.feature === 'text')
    .map((row) => {
      const path = FAMILY[row.connection] === row.sdk ? 'passthrough' : 'translated'
      const marks = (Object.keys(FEATURES) as Feature[]).map((feature) => (results.get(keyOf({ ...row, feature })) === 'pass' ? '✅ pass' : '❌ fail'))
      return [SDKS[row.sdk].label, `\`${row.connection}\` (${path})`, row.stream ? 'stream' : 'non-stream', ...marks]
    })
  return [header, header.map(() => '---'), ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n')
}

/**
 * The default connections plus an `openai-compatible` one (the fake OpenAI under another type), an
 * `azure-openai` one (deployments, api-version), a `google` and a `bedrock` one (AWS credentials as JSON, a region).
 */
async function publishAllConnections(): Promise<void> {
  const parts = gateway.defaultParts(2)
  parts.providers = [
    ...(parts.providers ?? []),
    { id: 'prov_compat', name: 'compat', type: 'openai-compatible', baseUrl: gateway.fake.openaiBaseUrl },
    { id: 'prov_azure', name: 'azure', type: 'azure-openai', baseUrl: gateway.fake.azureBaseUrl, settings: { apiVersion: '2024-10-21', deployments: { 'gpt-4o': 'prod-gpt-4o' } } },
    { id: 'prov_google', name: 'google', type: 'google', baseUrl: gateway.fake.googleBaseUrl },
    { id: 'prov_bedrock', name: 'bedrock', type: 'bedrock', baseUrl: gateway.fake.bedrockBaseUrl },
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
  await publishAllConnections()
  openai = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: gateway.key, maxRetries: 0 })
  anthropic = new Anthropic({ baseURL: gateway.url, apiKey: gateway.key, maxRetries: 0 })
})

afterAll(async () => {
  await gateway.close()
})

describe('compatibility matrix', () => {
  for (const cell of cells) {
    it(`${cell.sdk} SDK → ${cell.connection} · ${cell.stream ? 'stream' : 'non-stream'} · ${cell.feature}`, async () => {
      const before = gateway.fake.requests.length
      await SDKS[cell.sdk].run(cell)
      const paths = gateway.fake.requests.slice(before).map((r) => r.path)
      expect(paths.length).toBeGreaterThan(0)
      for (const path of paths) expect(path).toMatch(UPSTREAM_PATHS[cell.connection])
      results.set(keyOf(cell), 'pass')
    })
  }

  it('docs/compatibility.md shows this matrix', async () => {
    expect(results.size).toBe(cells.length)
    const doc = await readFile(DOC, 'utf8')
    const [start, end] = [doc.indexOf(MARKERS[0]), doc.indexOf(MARKERS[1])]
    expect(start, 'matrix markers in docs/compatibility.md').toBeGreaterThan(-1)
    const current = `${MARKERS[0]}\n${table()}\n${MARKERS[1]}`
    const written = doc.slice(start, end + MARKERS[1].length)
    if (process.env.SWITCHYARD_WRITE_COMPATIBILITY === '1') await writeFile(DOC, doc.replace(written, current))
    else expect(written).toBe(current)
  })
})
