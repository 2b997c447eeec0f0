import type { GatewayError } from '../../errors.ts'
import type { CanonicalBlock, CanonicalChatRequest, CanonicalDelta, CanonicalStopReason, CanonicalStreamEvent, CanonicalUsage } from '../canonical.ts'
import { renderOpenAIGatewayError, renderOpenAIUpstreamError } from '../openai/error.ts'
import type { StreamEncoder } from '../types.ts'
import { functionCallItem, messageItem, outputText, reasoningItem, renderResponsesUsage, responseIds, responseShell, statusOf } from './response.ts'

// Canonical stream events → the Responses API streaming grammar, as OpenAI emits it: every
// frame `event: <type>\ndata: {"type": <type>, "sequence_number": n, …}` with n counting up
// from 0. response.created + response.in_progress; per canonical block one output item:
//   text      → output_item.added (message), content_part.added (output_text),
//               output_text.delta*, output_text.done, content_part.done, output_item.done
//   tool call → output_item.added (function_call), function_call_arguments.delta*,
//               function_call_arguments.done, output_item.done
//   thinking  → output_item.added (reasoning), content_part.added (reasoning_text),
//               reasoning_text.delta*, reasoning_text.done, content_part.done, output_item.done
// then response.completed (or response.incomplete when cut by max tokens), with the whole
// output and usage. An upstream error ends it with `event: error` (code, message, param).

interface OpenItem {
  outputIndex: number
  id: string
  block: CanonicalBlock
  text: string
  signature: string | null
}

export function responsesStreamError(error: { code: string | null; message: string; param: string | null }, sequenceNumber: number): string {
  const data = { type: 'error', code: error.code, message: error.message, param: error.param, sequence_number: sequenceNumber }
  return `event: error\ndata: ${JSON.stringify(data)}\n\n`
}

export class ResponsesStreamEncoder implements StreamEncoder {
  private sequence = 0
  private ids = responseIds('')
  private model = ''
  private readonly createdAt = Math.floor(Date.now() / 1000)
  private readonly output: unknown[] = []
  private open: OpenItem | null = null
  private usage: CanonicalUsage | null = null
  private stopReason: CanonicalStopReason | null = null

  constructor(private readonly request: CanonicalChatRequest | undefined) {}

  private frame(type: string, data: Record<string, unknown>): string {
    const payload = { type, sequence_number: this.sequence++, ...data }
    return `event: ${type}\ndata: ${JSON.stringify(payload)}\n\n`
  }

  private response(status: string, output: unknown[], extra: Record<string, unknown> = {}): Record<string, unknown> {
    return { id: this.ids.response, object: 'response', created_at: this.createdAt, status, incomplete_details: null, model: this.model, output, usage: null, ...responseShell(this.request), ...extra }
  }

  encode(event: CanonicalStreamEvent): string[] {
    switch (event.type) {
      case 'message_start':
        this.ids = responseIds(event.id)
        this.model = event.model
        this.usage = event.usage
        return [this.frame('response.created', { response: this.response('in_progress', []) }), this.frame('response.in_progress', { response: this.response('in_progress', []) })]
      case 'block_start':
        return this.startItem(event.block)
      case 'block_delta':
        return this.delta(event.delta)
      case 'block_stop':
        return this.finishItem()
      case 'message_delta':
        this.stopReason = event.stopReason
        this.usage = event.usage ?? this.usage
        return []
      case 'message_stop':
        return this.complete()
      case 'error': {
        const { error } = renderOpenAIUpstreamError(event.error).body as { error: { code: string | null; type: string; message: string } }
        return [responsesStreamError({ code: error.code ?? error.type, message: error.message, param: null }, this.sequence++)]
      }
    }
  }

  /** The terminal event the gateway adds to a stream that broke off after bytes were sent. */
  encodeGatewayError(err: GatewayError): string {
    const { error } = renderOpenAIGatewayError(err)
    return responsesStreamError({ code: error.code, message: error.message, param: error.param }, this.sequence++)
  }

  private startItem(block: CanonicalBlock): string[] {
    const outputIndex = this.output.length
    const prefix = block.type === 'text' ? 'msg' : block.type === 'tool_call' ? 'fc' : 'rs'
    const item: OpenItem = { outputIndex, id: this.ids.item(prefix, outputIndex), block, text: '', signature: null }
    this.open = item
    this.output.push(null)
    const at = { item_id: item.id, output_index: outputIndex, content_index: 0 }
    switch (block.type) {
      case 'text':
        return [
          this.frame('response.output_item.added', { output_index: outputIndex, item: { id: item.id, type: 'message', status: 'in_progress', role: 'assistant', content: [] } }),
          this.frame('response.content_part.added', { ...at, part: outputText('') }),
        ]
      case 'tool_call':
        return [this.frame('response.output_item.added', { output_index: outputIndex, item: functionCallItem(item.id, { id: block.id, name: block.name, arguments: '' }, 'in_progress') })]
      case 'thinking':
        return [
          this.frame('response.output_item.added', { output_index: outputIndex, item: { id: item.id, type: 'reasoning', status: 'in_progress', summary: [], content: [] } }),
          this.frame('response.content_part.added', { ...at, part: { type: 'reasoning_text', text: '' } }),
        ]
      case 'redacted_thinking':
        return [this.frame('response.output_item.added', { output_index: outputIndex, item: reasoningItem(item.id, { data: block.data }, 'in_progress') })]
    }
  }

  private delta(delta: CanonicalDelta): string[] {
    const item = this.open
    if (!item) return []
    if (delta.type === 'signature') {
      item.signature = (item.signature ?? '') + delta.signature
      return []
    }
    const piece = delta.type === 'tool_arguments' ? delta.json : delta.text
    if (piece.length === 0) return []
    item.text += piece
    const at = { item_id: item.id, output_index: item.outputIndex }
    if (item.block.type === 'tool_call') return [this.frame('response.function_call_arguments.delta', { ...at, delta: piece })]
    if (item.block.type === 'thinking') return [this.frame('response.reasoning_text.delta', { ...at, content_index: 0, delta: piece })]
    return [this.frame('response.output_text.delta', { ...at, content_index: 0, delta: piece, logprobs: [] })]
  }

  private finishItem(): string[] {
    const item = this.open
    if (!item) return []
    this.open = null
    const at = { item_id: item.id, output_index: item.outputIndex }
    const { block } = item
    let frames: string[]
    let done: unknown
    if (block.type === 'text') {
      done = messageItem(item.id, item.text, 'completed')
      frames = [
        this.frame('response.output_text.done', { ...at, content_index: 0, text: item.text, logprobs: [] }),
        this.frame('response.content_part.done', { ...at, content_index: 0, part: outputText(item.text) }),
      ]
    } else if (block.type === 'tool_call') {
      done = functionCallItem(item.id, { id: block.id, name: block.name, arguments: item.text }, 'completed')
      frames = [this.frame('response.function_call_arguments.done', { ...at, name: block.name, arguments: item.text })]
    } else if (block.type === 'thinking') {
      done = reasoningItem(item.id, { text: item.text, signature: item.signature }, 'completed')
      frames = [
        this.frame('response.reasoning_text.done', { ...at, content_index: 0, text: item.text }),
        this.frame('response.content_part.done', { ...at, content_index: 0, part: { type: 'reasoning_text', text: item.text } }),
      ]
    } else {
      done = reasoningItem(item.id, { data: block.data }, 'completed')
      frames = []
    }
    this.output[item.outputIndex] = done
    return [...frames, this.frame('response.output_item.done', { output_index: item.outputIndex, item: done })]
  }

  private complete(): string[] {
    const frames = this.finishItem()
    const { status, incomplete_details } = statusOf(this.stopReason)
    const response = this.response(status, this.output, { incomplete_details, usage: renderResponsesUsage(this.usage) })
    return [...frames, this.frame(status === 'completed' ? 'response.completed' : 'response.incomplete', { response })]
  }
}

export function createResponsesStreamEncoder(options: { request?: CanonicalChatRequest }): StreamEncoder {
  return new ResponsesStreamEncoder(options.request)
}
