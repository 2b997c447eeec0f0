import type { CanonicalStopReason, CanonicalStreamEvent, CanonicalUsage } from '../../dialects/canonical.ts'
import type { CanonicalStreamDecoder, StreamEventFacts } from '../types.ts'
import { errorFromGemini, partsOf, stopReasonOf } from './from-upstream.ts'
import { parseWireResponse, usageOf } from './wire.ts'

// Gemini SSE chunks (`alt=sse`: each `data:` a whole GenerateContentResponse) → canonical events.
// Gemini has no blocks: a text or thought block opens when the kind of part changes; each
// functionCall arrives whole (one tool block: start, its arguments, stop). The chunk with a
// finishReason ends the stream (Gemini sends no end marker): message_delta with the stop reason
// and the last usageMetadata (each chunk carries the usage so far), then message_stop.

const CONTINUE: StreamEventFacts = { done: false, usageOnly: false }

export class GeminiStreamDecoder implements CanonicalStreamDecoder {
  usage: CanonicalUsage | null = null
  model: string | null = null
  private started = false
  private open: { index: number; kind: 'text' | 'thinking' } | null = null
  private nextIndex = 0
  private calls = 0

  decode(data: string): { facts: StreamEventFacts; events: CanonicalStreamEvent[] } {
    let json: unknown
    try {
      json = JSON.parse(data)
    } catch {
      return { facts: CONTINUE, events: [] }
    }
    const chunk = parseWireResponse(json)
    if (!chunk) return { facts: CONTINUE, events: [] }
    if (chunk.error) {
      const error = errorFromGemini(null, json)
      return { facts: { ...CONTINUE, errorStatus: error.status }, events: [{ type: 'error', error }] }
    }
    const events: CanonicalStreamEvent[] = []
    if (!this.started) {
      this.started = true
      this.model = chunk.modelVersion ?? null
      events.push({ type: 'message_start', id: chunk.responseId ?? '', model: this.model ?? '', usage: null })
    }
    if (chunk.usageMetadata) this.usage = usageOf(chunk.usageMetadata)
    const candidate = chunk.candidates?.[0]
    this.parts(candidate?.content?.parts ?? [], events)
    const blocked = !candidate && chunk.promptFeedback?.blockReason
    const finish = blocked ? 'SAFETY' : candidate?.finishReason
    if (!finish) return { facts: CONTINUE, events }
    this.close(events)
    const stopReason: CanonicalStopReason | null = stopReasonOf(finish, this.calls > 0)
    events.push({ type: 'message_delta', stopReason: stopReason ?? 'end_turn', stopSequence: null, usage: this.usage }, { type: 'message_stop' })
    return { facts: { done: true, usageOnly: false }, events }
  }

  private parts(parts: Parameters<typeof partsOf>[0], events: CanonicalStreamEvent[]): void {
    for (const part of partsOf(parts, this.calls)) {
      if (part.type === 'tool_call') {
        this.close(events)
        this.calls++
        const index = this.nextIndex++
        events.push(
          { type: 'block_start', index, block: { type: 'tool_call', id: part.id, name: part.name } },
          { type: 'block_delta', index, delta: { type: 'tool_arguments', json: part.arguments } },
          { type: 'block_stop', index },
        )
      } else if (part.type === 'text' || part.type === 'thinking') {
        if (part.text.length === 0) continue
        const index = this.ensure(part.type, events)
        events.push({ type: 'block_delta', index, delta: { type: part.type, text: part.text } })
      }
    }
  }

  private ensure(kind: 'text' | 'thinking', events: CanonicalStreamEvent[]): number {
    if (this.open?.kind === kind) return this.open.index
    this.close(events)
    this.open = { index: this.nextIndex++, kind }
    events.push({ type: 'block_start', index: this.open.index, block: { type: kind } })
    return this.open.index
  }

  private close(events: CanonicalStreamEvent[]): void {
    if (this.open) events.push({ type: 'block_stop', index: this.open.index })
    this.open = null
  }
}
