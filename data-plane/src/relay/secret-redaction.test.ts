import { describe, expect, it } from 'vitest'
import type { RuntimeProvider } from '../runtime/compile.ts'
import { REDACTED, redactBytes, redactSecrets } from './secret-redaction.ts'

const TIMEOUTS = { connectMs: 1, firstByteMs: 1, idleMs: 1, totalMs: 1 }

function provider(apiKey: string, extra: Partial<RuntimeProvider> = {}): RuntimeProvider {
  return { id: 'p', teamId: 't', name: 'n', type: 'openai-compatible', baseUrl: null, apiKey, settings: {}, timeouts: TIMEOUTS, ...extra }
}

describe('G-SEC-06 secret redaction of relayed upstream errors', () => {
  it("replaces the connection's own secret, however the upstream spelled it", () => {
    const secret = 'canary/credential+"7f3a"'
    const p = provider(secret)
    const json = JSON.stringify({ error: { message: `bad key ${secret}` } })
    expect(json).toContain('\\"7f3a\\"')
    expect(redactSecrets(json, p)).toBe(JSON.stringify({ error: { message: `bad key ${REDACTED}` } }))
    expect(redactSecrets(`url ?key=${encodeURIComponent(secret)}&x=1`, p)).toBe(`url ?key=${REDACTED}&x=1`)
  })

  it('replaces credential shapes whoever they belong to', () => {
    const cases: [string, string][] = [
      ['Authorization: Bearer abc.def-ghi_jkl', `Authorization: Bearer ${REDACTED}`],
      ['got "bearer xyz123"', `got "bearer ${REDACTED}"`],
      ['key sk-proj-AbCdEf0123456789xyz is wrong', `key ${REDACTED} is wrong`],
      ['key sk-ant-api03-AbCdEf0123456789-xyz_1 is wrong', `key ${REDACTED} is wrong`],
      ['key AIzaSyA-1234567890abcdefghijklmnopqrstu wrong', `key ${REDACTED} wrong`],
      ['id AKIAIOSFODNN7EXAMPLE', `id ${REDACTED}`],
      ['secret wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY.', `secret ${REDACTED}.`],
      ['vk sy-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789AB', `vk ${REDACTED}`],
    ]
    for (const [input, output] of cases) expect(redactSecrets(input, undefined), input).toBe(output)
  })

  it('leaves ordinary error text alone, and short placeholder keys unredacted', () => {
    const text = '{"error":{"message":"model gpt-4o not found, request id req_0123456789abcdef0123456789abcdef01234567","type":"invalid_request_error"}}'
    expect(redactSecrets(text, provider('EMPTY'))).toBe(text)
    const bytes = Buffer.from(text)
    expect(redactBytes(bytes, provider('EMPTY'))).toBe(bytes)
  })

  it("redacts each part of a Bedrock connection's AWS credential", () => {
    const aws = { accessKeyId: 'AKIDCANARY000001', secretAccessKey: 'canary-secret-access-key', sessionToken: 'canary-session-token-xyz' }
    const p = provider(JSON.stringify(aws), { type: 'bedrock', aws })
    const out = redactSecrets(`ak ${aws.accessKeyId} sk ${aws.secretAccessKey} st ${aws.sessionToken}`, p)
    expect(out).toBe(`ak ${REDACTED} sk ${REDACTED} st ${REDACTED}`)
  })
})
