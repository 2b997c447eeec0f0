import { HEADERS } from '@switchyard/shared/headers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MAX_NESTING_DEPTH } from '../../data-plane/src/pipeline/body-bounds.ts'
import { chat, type Gateway, messages, startGateway } from '../../data-plane/src/testing/gateway-fixture.ts'

// Issue #11 item 10 (second half): a 10,000-deep tool schema on the translated path overflowed
// the stack in the translator (a 500). Bodies nesting objects and arrays deeper than
// MAX_NESTING_DEPTH are now refused at parse time with a 400 in the caller's format, on every
// path, before anything goes upstream. The bodies are built as strings: JSON.stringify itself
// overflows on them.

let gateway: Gateway

beforeAll(async () => {
  gateway = await startGateway()
})

afterAll(async () => {
  await gateway.close()
})

/** A JSON schema `levels` objects deep (each level is `{"type":"object","properties":{"a":…}}`: two nestings). */
function deepSchema(levels: number): string {
  return '{"type":"object","properties":{"a":'.repeat(levels) + '{"type":"string"}' + '}}'.repeat(levels)
}

function openaiBody(model: string, schema: string): string {
  return `{"model":"${model}","messages":[{"role":"user","content":"Hi"}],"tools":[{"type":"function","function":{"name":"f","parameters":${schema}}}]}`
}

function anthropicBody(model: string, schema: string): string {
  return `{"model":"${model}","max_tokens":16,"messages":[{"role":"user","content":"Hi"}],"tools":[{"name":"f","input_schema":${schema}}]}`
}

const PATHS = [
  { name: 'OpenAI client → Anthropic connection (translated)', send: (s: string) => chat(gateway, openaiBody('anthropic/claude-sonnet-4-5', s)), family: 'openai' },
  { name: 'Anthropic client → OpenAI connection (translated)', send: (s: string) => messages(gateway, anthropicBody('fake/gpt-4o-mini', s)), family: 'anthropic' },
  { name: 'OpenAI client → OpenAI connection (passthrough)', send: (s: string) => chat(gateway, openaiBody('fake/gpt-4o-mini', s)), family: 'openai' },
  { name: 'Anthropic client → Anthropic connection (passthrough)', send: (s: string) => messages(gateway, anthropicBody('anthropic/claude-sonnet-4-5', s)), family: 'anthropic' },
] as const

describe('G-SEC-17 hostile input: nesting depth', () => {
  it.each(PATHS)('$name: a 10,000-deep tool schema is a 400 in the caller format, nothing upstream', async ({ send, family }) => {
    const before = gateway.fake.requests.length
    const res = await send(deepSchema(10_000))
    expect(res.status).toBe(400)
    expect(res.headers.get(HEADERS.error)).toBe('SY_ERR_REQUEST_INVALID')
    const body = await res.json()
    if (family === 'openai') {
      expect(body).toEqual({ error: { message: expect.stringContaining(`${MAX_NESTING_DEPTH} levels`), type: 'invalid_request_error', param: null, code: 'invalid_request' } })
    } else {
      expect(body).toEqual({ type: 'error', error: { type: 'invalid_request_error', message: expect.stringContaining(`${MAX_NESTING_DEPTH} levels`) } })
    }
    expect(gateway.fake.requests.length).toBe(before)
  })

  it.each(PATHS)('$name: a 30-level schema (deep, but real) is served', async ({ send }) => {
    const res = await send(deepSchema(30))
    expect(res.status).toBe(200)
  })

  it('refuses a 100,000-deep array (no stack overflow in the check itself)', async () => {
    const res = await chat(gateway, `{"model":"fake/gpt-4o-mini","messages":[{"role":"user","content":"Hi"}],"metadata":${'['.repeat(100_000)}${']'.repeat(100_000)}}`)
    expect(res.status).toBe(400)
  })
})
