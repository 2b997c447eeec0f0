import type { CanonicalDelta, CanonicalStopReason, CanonicalStreamEvent, CanonicalUsage } from '../../dialects/canonical.ts'
import type { CanonicalStreamDecoder, StreamEventFacts } from '../types.ts'
import { canonicalUsage, errorFromAnthropic, partOf, stopReasonOf } from './from-upstream.ts'
import { mergeUsage, WireFullStreamEvent, type WireUsage } from './wire.ts'

// Anthropic stream events → canonical events: nearly one to one. Usage is message_start's merged
// with message_delta's (cumulative), so message_delta carries the whole message's usage. Blocks
// without a client-side counterpart (server tools) are skipped with their deltas.

const CONTINUE: StreamEventFacts = { done: false, usageOnly: false }

function deltaOf(delta: WireFullStreamEvent['delta']): CanonicalDelta | null {
  switch (delta?.type) {
    case 'text_delta':
      return { type: 'text', text: delta.text ?? '' }
    case 'thinking_delta':
      return { type: 'thinking', text: delta.thinking ?? '' }
    case 'signature_delta':
      return { type: 'signature', signature: delta.signature ?? '' }
    case 'input_json_delta':
      return { type: 'tool_arguments', json: delta.partial_json ?? '' }
    default:
      return null
  }
}

function parse(data: string): WireFullStreamEvent | null {
  try {
    const parsed = WireFullStreamEvent.safeParse(JSON.parse(data))
    return parsed.success ? parsed.data : null
  } catch {
    return null
  }
}

export class AnthropicStreamDecoder implements CanonicalStreamDecoder {
  usage: CanonicalUsage | null = null
  model: string | null = null
  private wireUsage: WireUsage | null = null
  private readonly skipped = new Set<number>()

  decode(data: string): { facts: StreamEventFacts; events: CanonicalStreamEvent[] } {
    const event = parse(data)
    if (!event) return { facts: CONTINUE, events: [] }
    if (event.type === 'error') {
      const error = errorFromAnthropic(null, event)
      return { facts: { ...CONTINUE, errorStatus: error.status }, events: [{ type: 'error', error }] }
    }
    if (event.type === 'message_stop') return { facts: { done: true, usageOnly: false }, events: [{ type: 'message_stop' }] }
    return { facts: CONTINUE, events: this.translate(event) }
  }

  private mergeUsage(update: WireUsage | null | undefined): void {
    if (!update) return
    this.wireUsage = mergeUsage(this.wireUsage, update)
    this.usage = canonicalUsage(this.wireUsage)
  }

  private translate(event: WireFullStreamEvent): CanonicalStreamEvent[] {
    const index = event.index ?? 0
    switch (event.type) {
      case 'message_start':
        this.model = event.message?.model ?? null
        this.mergeUsage(event.message?.usage)
        return [{ type: 'message_start', id: event.message?.id ?? '', model: this.model ?? '', usage: this.usage }]
      case 'content_block_start':
        return this.blockStart(index, event)
      case 'content_block_delta': {
        const delta = this.skipped.has(index) ? null : deltaOf(event.delta)
        return delta ? [{ type: 'block_delta', index, delta }] : []
      }
      case 'content_block_stop':
        return this.skipped.has(index) ? [] : [{ type: 'block_stop', index }]
      case 'message_delta': {
        this.mergeUsage(event.usage)
        const stopReason: CanonicalStopReason | null = stopReasonOf(event.delta?.stop_reason)
        return [{ type: 'message_delta', stopReason, stopSequence: event.delta?.stop_sequence ?? null, usage: this.usage }]
      }
      default:
        return []
    }
  }

  private blockStart(index: number, event: WireFullStreamEvent): CanonicalStreamEvent[] {
    const part = event.content_block ? partOf(event.content_block) : null
    if (!part) {
      this.skipped.add(index)
      return []
    }
    const events: CanonicalStreamEvent[] = []
    if (part.type === 'tool_call') events.push({ type: 'block_start', index, block: { type: 'tool_call', id: part.id, name: part.name } })
    else if (part.type === 'redacted_thinking') events.push({ type: 'block_start', index, block: { type: 'redacted_thinking', data: part.data } })
    else events.push({ type: 'block_start', index, block: { type: part.type } })
    // A block that starts with content (rare, but allowed) carries it as its first delta.
    if (part.type === 'text' && part.text) events.push({ type: 'block_delta', index, delta: { type: 'text', text: part.text } })
    if (part.type === 'thinking' && part.text) events.push({ type: 'block_delta', index, delta: { type: 'thinking', text: part.text } })
    return events
  }
}
