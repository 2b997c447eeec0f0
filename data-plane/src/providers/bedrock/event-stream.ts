import { crc32 } from 'node:zlib'
import { GatewayError } from '../../errors.ts'
import type { SseEvent } from '../../upstream/sse.ts'
import type { StreamFramer } from '../types.ts'

// The AWS event stream (`application/vnd.amazon.eventstream`) that ConverseStream answers with:
// binary messages, each = prelude (total length u32, headers length u32, prelude CRC32 u32),
// headers (name length u8, name, value type u8, value), payload, message CRC32 (over everything
// before it). Survives arbitrary chunking; a CRC mismatch or an impossible length ends the
// stream as a bad response. Each message becomes an SSE-shaped event for the relay: `data` =
// the payload text, `event` = `:event-type` for events, `exception:<:exception-type>` for
// exceptions and `error:<:error-code>` for errors (their payload then `{"message":…}`).

const PRELUDE = 12
const MAX_MESSAGE = 16 * 1024 * 1024
const EMPTY = Buffer.alloc(0)

export type EventStreamHeaders = Record<string, string | number | boolean>

function corrupt(message: string): GatewayError {
  return new GatewayError('SY_ERR_UPSTREAM_BAD_RESPONSE', `The upstream event stream is corrupt: ${message}.`)
}

/** Header value types: 0/1 bool, 2 byte, 3 short, 4 int, 5 long, 6 bytes, 7 string, 8 timestamp, 9 uuid. */
function headerValue(buf: Buffer, type: number, at: number): [string | number | boolean, number] {
  switch (type) {
    case 0:
    case 1:
      return [type === 0, at]
    case 2:
      return [buf.readInt8(at), at + 1]
    case 3:
      return [buf.readInt16BE(at), at + 2]
    case 4:
      return [buf.readInt32BE(at), at + 4]
    case 5:
    case 8:
      return [Number(buf.readBigInt64BE(at)), at + 8]
    case 6:
    case 7: {
      const length = buf.readUInt16BE(at)
      const value = buf.subarray(at + 2, at + 2 + length)
      return [type === 7 ? value.toString('utf8') : value.toString('base64'), at + 2 + length]
    }
    case 9:
      return [buf.subarray(at, at + 16).toString('hex'), at + 16]
    default:
      throw corrupt(`unknown header value type ${type}`)
  }
}

export function parseHeaders(buf: Buffer): EventStreamHeaders {
  const headers: EventStreamHeaders = {}
  let at = 0
  while (at < buf.length) {
    const nameLength = buf.readUInt8(at)
    const name = buf.toString('utf8', at + 1, at + 1 + nameLength)
    const [value, next] = headerValue(buf, buf.readUInt8(at + 1 + nameLength), at + 2 + nameLength)
    headers[name] = value
    at = next
  }
  return headers
}

export interface EventStreamMessage {
  headers: EventStreamHeaders
  payload: Buffer
  raw: Buffer
}

/** One whole message (CRCs verified) from the front of `buf`, or null when more bytes are needed. */
export function readMessage(buf: Buffer): EventStreamMessage | null {
  if (buf.length < PRELUDE) return null
  const total = buf.readUInt32BE(0)
  const headersLength = buf.readUInt32BE(4)
  if (crc32(buf.subarray(0, 8)) !== buf.readUInt32BE(8)) throw corrupt('prelude CRC mismatch')
  if (total < PRELUDE + 4 + headersLength || total > MAX_MESSAGE) throw corrupt(`impossible message length ${total}`)
  if (buf.length < total) return null
  if (crc32(buf.subarray(0, total - 4)) !== buf.readUInt32BE(total - 4)) throw corrupt('message CRC mismatch')
  const headers = parseHeaders(buf.subarray(PRELUDE, PRELUDE + headersLength))
  return { headers, payload: buf.subarray(PRELUDE + headersLength, total - 4), raw: buf.subarray(0, total) }
}

function eventName(headers: EventStreamHeaders): string {
  const type = String(headers[':message-type'] ?? 'event')
  if (type === 'exception') return `exception:${String(headers[':exception-type'] ?? 'unknown')}`
  if (type === 'error') return `error:${String(headers[':error-code'] ?? 'unknown')}`
  return String(headers[':event-type'] ?? '')
}

function toEvent(message: EventStreamMessage): SseEvent {
  const { headers } = message
  const data = headers[':message-type'] === 'error' ? JSON.stringify({ message: String(headers[':error-message'] ?? '') }) : message.payload.toString('utf8')
  return { raw: message.raw, data, hasData: true, event: eventName(headers) }
}

/**
 * Bytes → SSE-shaped events. `messageStart` is held back until the next message: when that is an
 * exception, only the exception is emitted, so an error before any content is the stream's
 * first event (the relay answers it as an error response the router can retry).
 */
export class EventStreamFramer implements StreamFramer {
  private buf: Buffer = EMPTY
  private held: SseEvent | null = null

  push(chunk: Buffer): SseEvent[] {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk])
    const events: SseEvent[] = []
    for (let message = readMessage(this.buf); message; message = readMessage(this.buf)) {
      this.buf = this.buf.subarray(message.raw.length)
      const event = toEvent(message)
      if (event.event === 'messageStart' && events.length === 0 && this.held === null) {
        this.held = event
        continue
      }
      if (this.held && !event.event?.includes(':')) events.push(this.held)
      this.held = null
      events.push(event)
    }
    return events
  }

  end(): SseEvent[] {
    const held = this.held ? [this.held] : []
    this.held = null
    if (this.buf.length > 0) throw corrupt(`${this.buf.length} trailing bytes`)
    return held
  }
}
