import type { CanonicalDelta, CanonicalStreamEvent } from '../canonical.ts'
import type { StreamEncoder } from '../types.ts'
import { renderOpenAIStreamError, renderOpenAIUpstreamError } from './error.ts'
import { FINISH_REASONS, renderUsage } from './response.ts'

// Canonical stream events → OpenAI `chat.completion.chunk` SSE frames, as OpenAI emits them:
// `role: "assistant"` on the first delta, content deltas, tool calls announced once (index, id,
// type, function.name, empty arguments) and then argument fragments by index, one chunk with
// the finish_reason, the usage chunk (`choices: []`) only when the client asked for it
// (`stream_options.include_usage`, which also puts `"usage": null` on every other chunk), and
// `data: [DONE]`.

const frame = (json: unknown) => `data: ${JSON.stringify(json)}\n\n`

export function createOpenAIStreamEncoder(options: { includeUsage: boolean }): StreamEncoder {
  let id = ''
  let model = ''
  const created = Math.floor(Date.now() / 1000)
  /** Canonical block index → OpenAI tool_calls index. */
  const toolIndex = new Map<number, number>()

  const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) =>
    frame({ id, object: 'chat.completion.chunk', created, model, choices, ...(options.includeUsage ? { usage: null } : {}), ...extra })
  const delta = (d: Record<string, unknown>, finishReason: string | null = null) =>
    chunk([{ index: 0, delta: d, logprobs: null, finish_reason: finishReason }])

  const deltaFrames = (index: number, d: CanonicalDelta): string[] => {
    if (d.type === 'text') return [delta({ content: d.text })]
    if (d.type === 'thinking') return [delta({ reasoning_content: d.text })]
    if (d.type === 'signature' || d.json.length === 0) return []
    return [delta({ tool_calls: [{ index: toolIndex.get(index) ?? 0, function: { arguments: d.json } }] })]
  }

  return {
    encode(event: CanonicalStreamEvent): string[] {
      switch (event.type) {
        case 'message_start':
          id = event.id
          model = event.model
          return [delta({ role: 'assistant', content: '', refusal: null })]
        case 'block_start': {
          if (event.block.type !== 'tool_call') return []
          const index = toolIndex.size
          toolIndex.set(event.index, index)
          const call = { index, id: event.block.id, type: 'function', function: { name: event.block.name, arguments: '' } }
          return [delta({ tool_calls: [call] })]
        }
        case 'block_delta':
          return deltaFrames(event.index, event.delta)
        case 'block_stop':
          return []
        case 'message_delta': {
          const finish = delta({}, event.stopReason ? FINISH_REASONS[event.stopReason] : 'stop')
          return options.includeUsage ? [finish, chunk([], { usage: renderUsage(event.usage) })] : [finish]
        }
        case 'message_stop':
          return ['data: [DONE]\n\n']
        case 'error':
          return [renderOpenAIStreamError(renderOpenAIUpstreamError(event.error).body)]
      }
    },
  }
}
