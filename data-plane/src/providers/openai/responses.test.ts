import { sseEvent } from '../../upstream/sse.ts'
import { describe, expect, it } from 'vitest'
import { createResponsesStreamReader, readResponsesBody, responsesStreamError } from './responses.ts'

const usage = { input_tokens: 10, input_tokens_details: { cached_tokens: 3 }, output_tokens: 5, output_tokens_details: { reasoning_tokens: 2 }, total_tokens: 15 }
const expected = { promptTokens: 10, completionTokens: 5, totalTokens: 15, cachedPromptTokens: 3, reasoningTokens: 2 }

describe('OpenAI Responses API reading', () => {
  it('reads model and usage from a response object', () => {
    expect(readResponsesBody({ object: 'response', model: 'gpt-4o-2024', usage })).toEqual({ model: 'gpt-4o-2024', usage: expected })
    expect(readResponsesBody('nope')).toEqual({ model: null, usage: null })
  })

  it('reads the model from response.created, usage and the end from response.completed, errors from `error`', () => {
    const reader = createResponsesStreamReader()
    const created = JSON.stringify({ type: 'response.created', sequence_number: 0, response: { model: 'gpt-4o-2024', usage: null } })
    expect(reader.read(sseEvent(created, 'response.created'))).toEqual({ done: false, usageOnly: false })
    expect(reader.model).toBe('gpt-4o-2024')
    expect(reader.read(sseEvent('{"type":"response.output_text.delta","delta":"hi"}', 'response.output_text.delta'))).toEqual({ done: false, usageOnly: false })
    const completed = JSON.stringify({ type: 'response.completed', sequence_number: 9, response: { model: 'gpt-4o-2024', usage } })
    expect(reader.read(sseEvent(completed, 'response.completed'))).toEqual({ done: true, usageOnly: false })
    expect(reader.usage).toEqual(expected)
    const error = JSON.stringify({ type: 'error', code: 'rate_limit_exceeded', message: 'slow', param: null, sequence_number: 0 })
    expect(createResponsesStreamReader().read(sseEvent(error, 'error'))).toEqual({ done: false, usageOnly: false, errorStatus: 429 })
  })

  it('renders the terminal error event in the Responses grammar', () => {
    expect(responsesStreamError({ code: 'upstream_timeout', message: 'late' }, 7)).toBe(
      'event: error\ndata: {"type":"error","code":"upstream_timeout","message":"late","param":null,"sequence_number":7}\n\n',
    )
  })
})
