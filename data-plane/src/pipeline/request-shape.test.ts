import { mulberry32 } from '@switchyard/shared/testing'
import { describe, expect, it } from 'vitest'
import { GatewayError } from '../errors.ts'
import { checkRequestShape, shapeFits, shapeSchema } from './request-shape.ts'

const ENDPOINTS = ['/v1/chat/completions', '/v1/messages', '/v1/messages/count_tokens', '/v1/embeddings', '/v1/responses']
const FIELDS = ['messages', 'max_tokens', 'max_completion_tokens', 'n', 'temperature', 'top_p', 'tools', 'stream_options', 'system', 'stop_sequences', 'input', 'dimensions', 'encoding_format', 'instructions', 'max_output_tokens']

describe('request shape', () => {
  it('the plain check never accepts a body its zod schema refuses, and agrees on typical bodies (property)', () => {
    const random = mulberry32(5)
    const values: unknown[] = [
      undefined, null, 0, 3, -1, 1.5, 2 ** 60, 'text', '', true, [], ['a', 'b'], [1], {}, { include_usage: true },
      [{ role: 'user', content: 'hi' }], [{ role: 3 }], [{ content: 'no role' }], ['not an object'], [[]],
    ]
    let agreed = 0
    for (let i = 0; i < 5_000; i++) {
      const endpoint = ENDPOINTS[i % ENDPOINTS.length] as string
      const body: Record<string, unknown> = {}
      for (const field of FIELDS) if (random() < 0.4) body[field] = values[Math.floor(random() * values.length)]
      const fits = shapeFits(endpoint, body)
      const schemaAccepts = shapeSchema(endpoint)?.safeParse(body).success ?? true
      if (fits) expect(schemaAccepts, JSON.stringify({ endpoint, body })).toBe(true)
      if (fits === schemaAccepts) agreed++
    }
    // The plain check may be stricter (the schema then decides), but not so much that it stops being the fast path.
    expect(agreed / 5_000).toBeGreaterThan(0.99)
  })

  it('names the offending field, in the words of the schema, when the body does not fit', () => {
    const error = (() => {
      try {
        checkRequestShape('/v1/messages', { messages: [{ role: 'user', content: 'hi' }], max_tokens: 'ten' })
      } catch (err) {
        return err
      }
      return null
    })()
    expect(error).toBeInstanceOf(GatewayError)
    expect((error as GatewayError).options.param).toBe('max_tokens')
    expect((error as GatewayError).message).toMatch(/max_tokens/)
  })
})
