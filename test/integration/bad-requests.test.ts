import { HEADERS } from '@switchyard/shared/headers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BODY_LIMIT_BYTES } from '../../data-plane/src/app.ts'
import { type Gateway, startGateway } from '../../data-plane/src/testing/gateway-fixture.ts'
import { type Family, publishAllProviders } from './failure-support.ts'

// Issue #3 "Done when": bad requests get the right status and error JSON in the caller's format,
// with Switchyard's code in `x-switchyard-error`, on every endpoint, and nothing goes upstream:
// invalid JSON → 400, wrong types → 400 naming the field (OpenAI `param`; Anthropic
// `invalid_request_error`), unknown model → 404, body over the limit → 413, unsupported feature → 400.

interface Endpoint {
  path: string
  family: Family
  valid: Record<string, unknown>
  /** Fields of the wrong type: [field, value]. */
  wrongTypes: [string, unknown][]
  /** A body asking for what the resolved connection cannot do (null: every connection serves it). */
  unsupported: Record<string, unknown> | null
}

const USER = [{ role: 'user', content: 'Hello' }]
const ENDPOINTS: Endpoint[] = [
  {
    path: '/v1/chat/completions',
    family: 'openai',
    valid: { model: 'fake/gpt-4o-mini', messages: USER },
    wrongTypes: [['messages', 'Hello'], ['max_tokens', 'ten'], ['temperature', 'hot']],
    unsupported: { model: 'anthropic/claude-sonnet-4-5', messages: USER, n: 2 },
  },
  {
    path: '/v1/messages',
    family: 'anthropic',
    valid: { model: 'anthropic/claude-sonnet-4-5', max_tokens: 64, messages: USER },
    wrongTypes: [['messages', 'Hello'], ['max_tokens', 'ten'], ['system', 42]],
    unsupported: {
      model: 'fake/gpt-4o-mini',
      max_tokens: 64,
      messages: [{ role: 'user', content: [{ type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'x' } }] }],
    },
  },
  {
    path: '/v1/responses',
    family: 'openai',
    valid: { model: 'fake/gpt-4o-mini', input: 'Hello' },
    wrongTypes: [['input', 42], ['max_output_tokens', 'ten']],
    // Which connection types serve the Responses API is being widened (translation); see count_tokens.
    unsupported: null,
  },
  {
    path: '/v1/embeddings',
    family: 'openai',
    valid: { model: 'fake/text-embedding-3-small', input: 'Hello' },
    wrongTypes: [['input', 42], ['dimensions', 'many']],
    unsupported: { model: 'anthropic/claude-sonnet-4-5', input: 'Hello' },
  },
  {
    path: '/v1/messages/count_tokens',
    family: 'anthropic',
    valid: { model: 'anthropic/claude-sonnet-4-5', messages: USER },
    wrongTypes: [['messages', 'Hello'], ['system', 42]],
    // Every connection counts (exactly, or a flagged estimate).
    unsupported: null,
  },
]

interface Expectation {
  status: number
  code: string
  openai: { code: string; param?: string | null }
  anthropic: string
}

let gateway: Gateway

beforeAll(async () => {
  gateway = await startGateway()
  await publishAllProviders(gateway, 2)
})

afterAll(async () => {
  await gateway.close()
})

function send(endpoint: Endpoint, body: unknown): Promise<Response> {
  const auth: Record<string, string> = endpoint.family === 'openai' ? { authorization: `Bearer ${gateway.key}` } : { 'x-api-key': gateway.key, 'anthropic-version': '2023-06-01' }
  return fetch(`${gateway.url}${endpoint.path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...auth },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })
}

async function expectRefused(endpoint: Endpoint, res: Response, want: Expectation): Promise<void> {
  expect(res.status).toBe(want.status)
  expect(res.headers.get(HEADERS.error)).toBe(want.code)
  expect(res.headers.get(HEADERS.requestId)).toMatch(/^req_/)
  const body = (await res.json()) as Record<string, unknown>
  if (endpoint.family === 'openai') {
    const error = body.error as Record<string, unknown>
    expect(Object.keys(error).sort()).toEqual(['code', 'message', 'param', 'type'])
    expect(error).toMatchObject({ type: 'invalid_request_error', code: want.openai.code, message: expect.any(String) })
    if (want.openai.param !== undefined) expect(error.param).toBe(want.openai.param)
  } else {
    expect(body).toEqual({ type: 'error', error: { type: want.anthropic, message: expect.any(String) } })
  }
}

const INVALID: Expectation = { status: 400, code: 'SY_ERR_REQUEST_INVALID', openai: { code: 'invalid_request' }, anthropic: 'invalid_request_error' }

describe.each(ENDPOINTS)('$path', (endpoint) => {
  const cases: [string, () => unknown, Expectation][] = [
    ['invalid JSON', () => '{"model": ', { status: 400, code: 'SY_ERR_REQUEST_INVALID_JSON', openai: { code: 'invalid_json' }, anthropic: 'invalid_request_error' }],
    ['a JSON array', () => '[1]', { status: 400, code: 'SY_ERR_REQUEST_INVALID_JSON', openai: { code: 'invalid_json' }, anthropic: 'invalid_request_error' }],
    ...endpoint.wrongTypes.map(([field, value]): [string, () => unknown, Expectation] => [
      `${field} of the wrong type`,
      () => ({ ...endpoint.valid, [field]: value }),
      { ...INVALID, openai: { code: 'invalid_request', param: field } },
    ]),
    ['a missing model', () => ({ ...endpoint.valid, model: undefined }), { ...INVALID, openai: { code: 'invalid_request', param: 'model' } }],
    ['an unknown model', () => ({ ...endpoint.valid, model: 'nope/some-model' }), { status: 404, code: 'SY_ERR_MODEL_NOT_FOUND', openai: { code: 'model_not_found', param: 'model' }, anthropic: 'not_found_error' }],
    [
      'a body over the limit',
      () => ({ ...endpoint.valid, padding: 'x'.repeat(BODY_LIMIT_BYTES) }),
      { status: 413, code: 'SY_ERR_REQUEST_TOO_LARGE', openai: { code: 'request_too_large' }, anthropic: 'invalid_request_error' },
    ],
  ]
  if (endpoint.unsupported) {
    const unsupported = endpoint.unsupported
    const code = endpoint.path === '/v1/embeddings' ? 'provider_not_supported' : 'unsupported_parameter'
    const swCode = endpoint.path === '/v1/embeddings' ? 'SY_ERR_PROVIDER_UNSUPPORTED' : 'SY_ERR_REQUEST_UNTRANSLATABLE'
    cases.push(['an unsupported feature', () => unsupported, { status: 400, code: swCode, openai: { code }, anthropic: 'invalid_request_error' }])
  }

  it.each(cases)('%s', async (_name, body, want) => {
    const before = gateway.fake.requests.length
    await expectRefused(endpoint, await send(endpoint, body()), want)
    expect(gateway.fake.requests.length).toBe(before)
  })

  it('the valid body it is built from is served', async () => {
    expect((await send(endpoint, endpoint.valid)).status).toBe(200)
  })
})
