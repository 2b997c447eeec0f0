import { HEADERS } from '@switchyard/shared/headers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chat, type Gateway, messages, startGateway } from '../../data-plane/src/testing/gateway-fixture.ts'
import { publishAllProviders } from '../integration/failure-support.ts'

// Issue #11 (smaller items): Azure, Bedrock and Google place the model id into the URL path, and
// `..` as the model (`azure/..`) made the URL parser drop the path segment before it, so the
// request went to another upstream path. Dot segments are now refused with a 400 naming
// `model`, and everything else stays one percent-encoded segment.

let gateway: Gateway

beforeAll(async () => {
  gateway = await startGateway()
  await publishAllProviders(gateway, 2)
})

afterAll(async () => {
  await gateway.close()
})

const USER = [{ role: 'user', content: 'Hello path' }]

describe('G-SEC-17 hostile input: model ids in provider URL paths', () => {
  it.each(['azure', 'bedrock', 'google'])('%s: `..` and `.` as the model are a 400 naming `model`, nothing upstream', async (connection) => {
    const before = gateway.fake.requests.length
    for (const model of ['..', '.']) {
      const res = await chat(gateway, { model: `${connection}/${model}`, messages: USER })
      expect(res.status).toBe(400)
      expect(res.headers.get(HEADERS.error)).toBe('SY_ERR_REQUEST_INVALID')
      expect(await res.json()).toMatchObject({ error: { type: 'invalid_request_error', param: 'model', code: 'invalid_request' } })
    }
    const anthropic = await messages(gateway, { model: `${connection}/..`, max_tokens: 16, messages: USER })
    expect(anthropic.status).toBe(400)
    expect(await anthropic.json()).toEqual({ type: 'error', error: { type: 'invalid_request_error', message: expect.stringContaining('URL path') } })
    expect(gateway.fake.requests.length).toBe(before)
  })

  it('keeps slashes, encoded dots and query characters inside one Azure deployment segment', async () => {
    for (const model of ['../../openai/models', '%2e%2e', 'x?api-version=evil#frag']) {
      await chat(gateway, { model: `azure/${model}`, messages: USER })
      const path = gateway.fake.requests.at(-1)?.path ?? ''
      expect(path).toBe(`/azure/openai/deployments/${encodeURIComponent(model)}/chat/completions?api-version=2024-10-21`)
    }
  })

  it('keeps a Bedrock model id with `/` in one segment', async () => {
    await chat(gateway, { model: 'bedrock/../../x', messages: USER })
    expect(gateway.fake.requests.at(-1)?.path).toMatch(/\/model\/\.\.%2F\.\.%2Fx\/converse$/)
  })
})
