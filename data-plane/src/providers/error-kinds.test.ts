import { describe, expect, it } from 'vitest'
import { GatewayError } from '../errors.ts'
import { upstreamError } from '../upstream/client.ts'
import { anthropicAdapter } from './anthropic/adapter.ts'
import { bedrockAdapter } from './bedrock/adapter.ts'
import { classifyGatewayError, classifyStreamError, classifyUpstreamFailure } from './error-kinds.ts'
import { googleAdapter } from './google/adapter.ts'
import { adapters } from './registry.ts'
import { azureOpenaiAdapter } from './azure-openai/adapter.ts'
import { openaiAdapter } from './openai/adapter.ts'

// The providers' own error answers, as their APIs send them (bodies from their docs and from
// captured responses), each to the kind the fallback rules read.

describe('error kinds: one table per adapter', () => {
  it('Anthropic: 529 overloaded_error, 429 rate_limit_error, 500 api_error, a too-long prompt; a 400 is not eligible', () => {
    const t = anthropicAdapter.errorKinds
    expect(classifyUpstreamFailure(t, { status: 529, body: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } } })).toBe('overloaded')
    expect(classifyUpstreamFailure(t, { status: 429, body: { type: 'error', error: { type: 'rate_limit_error', message: 'Number of request tokens has exceeded your per-minute rate limit' } } })).toBe('rate_limited')
    expect(classifyUpstreamFailure(t, { status: 500, body: { type: 'error', error: { type: 'api_error', message: 'Internal server error' } } })).toBe('server_error')
    expect(classifyUpstreamFailure(t, { status: 400, body: { type: 'error', error: { type: 'invalid_request_error', message: 'prompt is too long: 215000 tokens > 200000 maximum' } } })).toBe('context_length')
    expect(classifyUpstreamFailure(t, { status: 400, body: { type: 'error', error: { type: 'invalid_request_error', message: 'max_tokens: Field required' } } })).toBeNull()
    expect(classifyUpstreamFailure(t, { status: 401, body: { type: 'error', error: { type: 'authentication_error', message: 'invalid x-api-key' } } })).toBeNull()
    // The in-band `event: error` on an HTTP 200, before any content: a failed attempt, overloaded.
    const data = JSON.stringify({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } })
    expect(classifyStreamError(t, { data, status: 529 }, false)).toBe('overloaded')
    expect(classifyStreamError(t, { data, status: 529 }, true)).toBe('stream_error')
  })

  it('OpenAI (and Azure): 429 rate_limit_exceeded, context_length_exceeded, content_filter, 503 overloaded, 500 server_error', () => {
    for (const t of [openaiAdapter.errorKinds, azureOpenaiAdapter.errorKinds]) {
      expect(classifyUpstreamFailure(t, { status: 429, body: { error: { message: 'Rate limit reached for gpt-4o', type: 'requests', param: null, code: 'rate_limit_exceeded' } } })).toBe('rate_limited')
      expect(
        classifyUpstreamFailure(t, {
          status: 400,
          body: { error: { message: "This model's maximum context length is 128000 tokens.", type: 'invalid_request_error', param: 'messages', code: 'context_length_exceeded' } },
        }),
      ).toBe('context_length')
      expect(classifyUpstreamFailure(t, { status: 400, body: { error: { message: 'The response was filtered', type: null, param: 'prompt', code: 'content_filter', status: 400 } } })).toBe('content_filter')
      expect(classifyUpstreamFailure(t, { status: 503, body: { error: { message: 'The engine is currently overloaded, please try again later', type: 'server_error', param: null, code: null } } })).toBe('overloaded')
      expect(classifyUpstreamFailure(t, { status: 503, body: 'upstream connect error' })).toBe('overloaded')
      expect(classifyUpstreamFailure(t, { status: 502, body: null })).toBe('server_error')
      expect(classifyUpstreamFailure(t, { status: 404, body: { error: { message: 'The model `x` does not exist', type: 'invalid_request_error', param: null, code: 'model_not_found' } } })).toBeNull()
      expect(classifyUpstreamFailure(t, { status: 422, body: null })).toBeNull()
    }
  })

  it('Gemini: RESOURCE_EXHAUSTED, UNAVAILABLE, INTERNAL, DEADLINE_EXCEEDED; INVALID_ARGUMENT is not eligible', () => {
    const t = googleAdapter.errorKinds
    const gemini = (code: number, status: string, message = 'x') => ({ error: { code, message, status } })
    expect(classifyUpstreamFailure(t, { status: 429, body: gemini(429, 'RESOURCE_EXHAUSTED', 'Resource has been exhausted (e.g. check quota).') })).toBe('rate_limited')
    expect(classifyUpstreamFailure(t, { status: 503, body: gemini(503, 'UNAVAILABLE', 'The model is overloaded. Please try again later.') })).toBe('overloaded')
    expect(classifyUpstreamFailure(t, { status: 500, body: gemini(500, 'INTERNAL') })).toBe('server_error')
    expect(classifyUpstreamFailure(t, { status: 504, body: gemini(504, 'DEADLINE_EXCEEDED') })).toBe('timeout')
    expect(classifyUpstreamFailure(t, { status: 400, body: gemini(400, 'INVALID_ARGUMENT', 'The input token count (1048577) exceeds the maximum number of tokens allowed (1048576).') })).toBe('context_length')
    expect(classifyUpstreamFailure(t, { status: 400, body: gemini(400, 'INVALID_ARGUMENT', 'Invalid JSON payload received.') })).toBeNull()
  })

  it('Bedrock: ThrottlingException (header or __type), ServiceUnavailableException, ModelStreamErrorException in a stream', () => {
    const t = bedrockAdapter.errorKinds
    const headers = { 'x-amzn-errortype': 'ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/' }
    expect(classifyUpstreamFailure(t, { status: 429, headers, body: { message: 'Too many requests, please wait before trying again.' } })).toBe('rate_limited')
    expect(classifyUpstreamFailure(t, { status: 400, body: { __type: 'com.amazon.coral.service#ThrottlingException', message: 'Too many tokens' } })).toBe('rate_limited')
    expect(classifyUpstreamFailure(t, { status: 503, body: { message: 'Bedrock is unable to process your request.' } })).toBe('overloaded')
    expect(classifyUpstreamFailure(t, { status: 400, headers: { 'x-amzn-errortype': 'ValidationException:http://internal.amazon.com/' }, body: { message: 'Malformed input request' } })).toBeNull()
    expect(classifyUpstreamFailure(t, { status: 424, headers: { 'x-amzn-errortype': 'ModelStreamErrorException' }, body: { message: 'x' } })).toBe('stream_error')
  })

  it('transport failures: refused and reset connections, timeouts, broken streams', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' })
    const reset = Object.assign(new Error('other side closed'), { code: 'ECONNRESET' })
    expect(classifyGatewayError(upstreamError(refused))).toBe('connection')
    expect(classifyGatewayError(upstreamError(reset))).toBe('connection')
    expect(classifyGatewayError(upstreamError(new DOMException('The upstream total timeout elapsed.', 'TimeoutError')))).toBe('timeout')
    expect(classifyGatewayError(upstreamError(Object.assign(new Error('x'), { code: 'UND_ERR_CONNECT_TIMEOUT' })))).toBe('timeout')
    expect(classifyGatewayError(new GatewayError('SY_ERR_UPSTREAM_STREAM_INCOMPLETE', 'x'))).toBe('stream_error')
    // Refused by the gateway's own address policy: another target would be refused too.
    expect(classifyGatewayError(new GatewayError('SY_ERR_UPSTREAM_FORBIDDEN', 'x'))).toBeNull()
  })

  it('every adapter declares its table', () => {
    for (const [type, adapter] of Object.entries(adapters)) expect(adapter?.errorKinds.names, type).toBeTypeOf('object')
  })
})
