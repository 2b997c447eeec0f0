import type { CanonicalBlock, CanonicalDelta, CanonicalStreamEvent } from '../canonical.ts'
import type { StreamEncoder } from '../types.ts'
import { renderAnthropicStreamError, renderAnthropicUpstreamError } from './error.ts'
import { renderUsage } from './response.ts'

// Canonical stream events → Anthropic Messages SSE, as Anthropic emits it: `message_start` (with
// the usage known so far), a `ping`, then per block `content_block_start` / `content_block_delta`
// (text_delta, thinking_delta, signature_delta, input_json_delta) / `content_block_stop`, then
// `message_delta` (stop_reason + whole-message usage) and `message_stop`. Every frame is
// `event: <type>\ndata: <json>\n\n`.

const frame = (event: string, data: unknown) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`

function startBlock(block: CanonicalBlock): unknown {
  switch (block.type) {
    case 'text':
      return { type: 'text', text: '' }
    case 'thinking':
      return { type: 'thinking', thinking: '', signature: '' }
    case 'redacted_thinking':
      return { type: 'redacted_thinking', data: block.data }
    case 'tool_call':
      return { type: 'tool_use', id: block.id, name: block.name, input: {} }
  }
}

function delta(d: CanonicalDelta): unknown {
  switch (d.type) {
    case 'text':
      return { type: 'text_delta', text: d.text }
    case 'thinking':
      return { type: 'thinking_delta', thinking: d.text }
    case 'signature':
      return { type: 'signature_delta', signature: d.signature }
    case 'tool_arguments':
      return { type: 'input_json_delta', partial_json: d.json }
  }
}

export function createAnthropicStreamEncoder(): StreamEncoder {
  return {
    encode(event: CanonicalStreamEvent): string[] {
      switch (event.type) {
        case 'message_start': {
          const message = { id: event.id, type: 'message', role: 'assistant', model: event.model, content: [], stop_reason: null, stop_sequence: null, usage: renderUsage(event.usage) }
          return [frame('message_start', { type: 'message_start', message }), frame('ping', { type: 'ping' })]
        }
        case 'block_start':
          return [frame('content_block_start', { type: 'content_block_start', index: event.index, content_block: startBlock(event.block) })]
        case 'block_delta':
          return [frame('content_block_delta', { type: 'content_block_delta', index: event.index, delta: delta(event.delta) })]
        case 'block_stop':
          return [frame('content_block_stop', { type: 'content_block_stop', index: event.index })]
        case 'message_delta': {
          const stop = { stop_reason: event.stopReason ?? 'end_turn', stop_sequence: event.stopSequence }
          return [frame('message_delta', { type: 'message_delta', delta: stop, usage: renderUsage(event.usage) })]
        }
        case 'message_stop':
          return [frame('message_stop', { type: 'message_stop' })]
        case 'error':
          return [renderAnthropicStreamError(renderAnthropicUpstreamError(event.error).body)]
      }
    },
  }
}
