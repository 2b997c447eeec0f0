import type { CanonicalBlock, CanonicalStopReason, CanonicalStreamEvent, CanonicalUsage } from '../../dialects/canonical.ts'
import type { CanonicalStreamDecoder, StreamEventFacts } from '../types.ts'
import { canonicalUsage, errorFromOpenAI, STOP_REASONS } from './from-upstream.ts'
import { WireChunk, type WireToolCallDelta } from './wire.ts'

// OpenAI chunks → canonical stream events. OpenAI streams have no blocks: a block opens when the
// kind of delta changes (reasoning, text, a new tool call index) and closes before the next one
// or at the finish_reason. Usage comes in its own chunk after the finish (the gateway always asks
// for it), so message_delta is emitted at `[DONE]` with the stop reason and the usage.

interface OpenBlock {
  index: number
  kind: 'text' | 'thinking' | 'tool'
}

const CONTINUE: StreamEventFacts = { done: false, usageOnly: false }

export class OpenAIStreamDecoder implements CanonicalStreamDecoder {
  usage: CanonicalUsage | null = null
  model: string | null = null
  private open: OpenBlock | null = null
  private nextIndex = 0
  private started = false
  private stopReason: CanonicalStopReason | null = null
  private readonly toolBlocks = new Map<number, number>()

  decode(data: string): { facts: StreamEventFacts; events: CanonicalStreamEvent[] } {
    if (data === '[DONE]') return { facts: { done: true, usageOnly: false }, events: this.finish() }
    const chunk = parseChunk(data)
    if (!chunk) return { facts: CONTINUE, events: [] }
    if (chunk.error) {
      const error = errorFromOpenAI(500, { error: chunk.error })
      return { facts: { ...CONTINUE, errorStatus: error.status }, events: [{ type: 'error', error }] }
    }
    const events: CanonicalStreamEvent[] = []
    if (!this.started) {
      this.started = true
      this.model = chunk.model ?? null
      events.push({ type: 'message_start', id: chunk.id ?? '', model: chunk.model ?? '', usage: null })
    }
    if (chunk.usage) this.usage = canonicalUsage(chunk.usage)
    const choice = chunk.choices?.[0]
    const delta = choice?.delta
    if (delta?.reasoning_content) events.push({ type: 'block_delta', index: this.ensure('thinking', events), delta: { type: 'thinking', text: delta.reasoning_content } })
    const text = delta?.content || delta?.refusal
    if (text) events.push({ type: 'block_delta', index: this.ensure('text', events), delta: { type: 'text', text } })
    if (delta?.refusal) this.stopReason = 'refusal'
    for (const call of delta?.tool_calls ?? []) this.toolCall(call, events)
    if (choice?.finish_reason) {
      this.close(events)
      this.stopReason = this.stopReason === 'refusal' ? 'refusal' : (STOP_REASONS[choice.finish_reason] ?? 'end_turn')
    }
    return { facts: CONTINUE, events }
  }

  private close(events: CanonicalStreamEvent[]): void {
    if (this.open) events.push({ type: 'block_stop', index: this.open.index })
    this.open = null
  }

  private ensure(kind: 'text' | 'thinking', events: CanonicalStreamEvent[]): number {
    if (this.open?.kind === kind) return this.open.index
    this.close(events)
    this.open = { index: this.nextIndex++, kind }
    const block: CanonicalBlock = { type: kind }
    events.push({ type: 'block_start', index: this.open.index, block })
    return this.open.index
  }

  private toolCall(call: WireToolCallDelta, events: CanonicalStreamEvent[]): void {
    let index = this.toolBlocks.get(call.index)
    if (index === undefined) {
      this.close(events)
      index = this.nextIndex++
      this.toolBlocks.set(call.index, index)
      this.open = { index, kind: 'tool' }
      events.push({ type: 'block_start', index, block: { type: 'tool_call', id: call.id ?? `call_${index}`, name: call.function?.name ?? '' } })
    }
    const json = call.function?.arguments
    if (json) events.push({ type: 'block_delta', index, delta: { type: 'tool_arguments', json } })
  }

  private finish(): CanonicalStreamEvent[] {
    const events: CanonicalStreamEvent[] = []
    this.close(events)
    events.push({ type: 'message_delta', stopReason: this.stopReason ?? 'end_turn', stopSequence: null, usage: this.usage }, { type: 'message_stop' })
    return events
  }
}

function parseChunk(data: string): WireChunk | null {
  try {
    const parsed = WireChunk.safeParse(JSON.parse(data))
    return parsed.success ? parsed.data : null
  } catch {
    return null
  }
}
