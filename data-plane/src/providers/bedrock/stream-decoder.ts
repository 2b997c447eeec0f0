import type { CanonicalDelta, CanonicalStopReason, CanonicalStreamEvent, CanonicalUsage } from '../../dialects/canonical.ts'
import type { CanonicalStreamDecoder, StreamEventFacts } from '../types.ts'
import { errorFromBedrock, newMessageId, STRUCTURED_OUTPUT_TOOL, stopReasonOf } from './from-upstream.ts'
import { usageOf, type WireStreamPayload, WireStreamPayload as Payload } from './wire.ts'

// ConverseStream events (framed by event-stream.ts) → canonical events. Converse opens a block
// explicitly only for tool use (contentBlockStart); text and reasoning blocks open with their
// first delta. messageStop carries the stop reason, and the metadata event after it the usage:
// message_delta and message_stop are emitted at metadata, which ends the stream. An exception
// event (`exception:<type>`) is an error with the status Bedrock would have answered.

const CONTINUE: StreamEventFacts = { done: false, usageOnly: false }

type Kind = 'text' | 'thinking' | 'tool' | 'structured'

export class BedrockStreamDecoder implements CanonicalStreamDecoder {
  usage: CanonicalUsage | null = null
  model: string | null = null
  private started = false
  private readonly open = new Map<number, Kind>()
  private stopReason: CanonicalStopReason | null = null
  private structured = false

  decode(data: string, event: string | null): { facts: StreamEventFacts; events: CanonicalStreamEvent[] } {
    const payload = parse(data)
    if (event?.startsWith('exception:') || event?.startsWith('error:')) {
      const error = errorFromBedrock(null, payload ?? {}, event.slice(event.indexOf(':') + 1))
      return { facts: { ...CONTINUE, errorStatus: error.status }, events: [{ type: 'error', error }] }
    }
    if (!payload) return { facts: CONTINUE, events: [] }
    const events: CanonicalStreamEvent[] = []
    if (!this.started) {
      this.started = true
      events.push({ type: 'message_start', id: newMessageId(), model: '', usage: null })
    }
    if (event === 'metadata') {
      this.usage = usageOf(payload.usage)
      for (const index of this.open.keys()) events.push({ type: 'block_stop', index })
      this.open.clear()
      events.push({ type: 'message_delta', stopReason: this.stopReason ?? 'end_turn', stopSequence: null, usage: this.usage }, { type: 'message_stop' })
      return { facts: { done: true, usageOnly: false }, events }
    }
    this.translate(event, payload, events)
    return { facts: CONTINUE, events }
  }

  private translate(event: string | null, payload: WireStreamPayload, events: CanonicalStreamEvent[]): void {
    const index = payload.contentBlockIndex ?? 0
    if (event === 'contentBlockStart' && payload.start?.toolUse) {
      const { toolUseId, name } = payload.start.toolUse
      const structured = name === STRUCTURED_OUTPUT_TOOL
      this.structured ||= structured
      this.open.set(index, structured ? 'structured' : 'tool')
      events.push({ type: 'block_start', index, block: structured ? { type: 'text' } : { type: 'tool_call', id: toolUseId, name } })
    } else if (event === 'contentBlockDelta' && payload.delta) {
      const delta = this.deltaOf(index, payload.delta)
      if (!delta) return
      if (!this.open.has(index)) {
        this.open.set(index, delta.type === 'text' ? 'text' : 'thinking')
        events.push({ type: 'block_start', index, block: { type: delta.type === 'text' ? 'text' : 'thinking' } })
      }
      events.push({ type: 'block_delta', index, delta })
    } else if (event === 'contentBlockStop' && this.open.delete(index)) {
      events.push({ type: 'block_stop', index })
    } else if (event === 'messageStop') {
      this.stopReason = stopReasonOf(payload.stopReason, this.structured)
    }
  }

  private deltaOf(index: number, delta: NonNullable<WireStreamPayload['delta']>): CanonicalDelta | null {
    const kind = this.open.get(index)
    if (typeof delta.toolUse?.input === 'string') return kind === 'structured' ? { type: 'text', text: delta.toolUse.input } : { type: 'tool_arguments', json: delta.toolUse.input }
    if (typeof delta.text === 'string') return { type: 'text', text: delta.text }
    const reasoning = delta.reasoningContent
    if (typeof reasoning?.text === 'string') return { type: 'thinking', text: reasoning.text }
    if (typeof reasoning?.signature === 'string') return { type: 'signature', signature: reasoning.signature }
    return null
  }
}

function parse(data: string): WireStreamPayload | null {
  try {
    const parsed = Payload.safeParse(JSON.parse(data))
    return parsed.success ? parsed.data : null
  } catch {
    return null
  }
}
