import { HEADERS, PASSTHROUGH_RESPONSE_HEADER } from '@switchyard/shared/headers'
import type { FastifyReply } from 'fastify'
import type { RequestContext } from '../pipeline/context.ts'
import type { UpstreamHeaders } from '../upstream/client.ts'

// The gateway's response headers, shared by the response-headers plugin (replies sent through
// Fastify) and the relays that write a head themselves (streams, keep-alive): a neutral module,
// so relays never import from plugins/ (eslint.config.js keeps it so).
//
// Every value set here comes from the caller (model), the snapshot or the upstream, and Node
// refuses to write a head holding a control character or a character above U+00FF (a 500 in
// Fastify's own shape, or a stream cut after its head): values are checked first, and an unsafe
// one is percent-encoded (ours) or dropped (the upstream's rate-limit headers).

/** Tab and printable ASCII only: what every HTTP stack reads the same way. */
export function isHeaderSafe(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i)
    if ((c < 0x20 && c !== 0x09) || c > 0x7e) return false
  }
  return true
}

/** The value itself when safe, else its UTF-8 bytes percent-encoded (`%` too): readable, and never a broken head. */
export function headerValue(value: string): string {
  if (isHeaderSafe(value)) return value
  let encoded = ''
  for (const byte of Buffer.from(value, 'utf8')) {
    encoded += byte > 0x20 && byte < 0x7f && byte !== 0x25 ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`
  }
  return encoded
}

function upstreamValueSafe(value: string | string[]): boolean {
  return typeof value === 'string' ? isHeaderSafe(value) : value.every(isHeaderSafe)
}

export function passUpstreamHeaders(reply: FastifyReply, headers: UpstreamHeaders): void {
  for (const name in headers) {
    const value = headers[name]
    if (value !== undefined && (PASSTHROUGH_RESPONSE_HEADER.test(name) || name === 'x-should-retry') && upstreamValueSafe(value)) reply.header(name, value)
  }
}

function serverTiming(ctx: RequestContext): string {
  const now = performance.now()
  const up = ctx.upstream
  if (!up) return `gateway;dur=${(now - ctx.startedAt).toFixed(1)}`
  const upstreamMs = (up.doneAt ?? up.headersAt) - up.sentAt
  return `gateway;dur=${(now - ctx.startedAt - upstreamMs).toFixed(1)}, upstream;dur=${upstreamMs.toFixed(1)}`
}

/** The common small counts, as strings made once. */
const ATTEMPT_COUNTS: readonly string[] = ['0', '1', '2', '3', '4', '5', '6', '7']

export function applyGatewayHeaders(reply: FastifyReply, ctx: RequestContext): void {
  // The relays pass the upstream's content type on (`text/event-stream; charset=…`).
  const type = reply.getHeader('content-type')
  if (typeof type === 'string' && !isHeaderSafe(type)) reply.header('content-type', headerValue(type))
  if (ctx.target) {
    reply.header(HEADERS.provider, headerValue(ctx.target.provider.name))
    reply.header(HEADERS.model, headerValue(ctx.target.upstreamModel))
  }
  if (ctx.upstream?.upstreamRequestId) reply.header(HEADERS.upstreamRequestId, headerValue(ctx.upstream.upstreamRequestId))
  // Attempts started (0 for an answer made before any, or locally); the serving attempt's choice once there is one.
  const attempts = ctx.attempts.length
  reply.header(HEADERS.attempts, ATTEMPT_COUNTS[attempts] ?? String(attempts))
  const attempt = ctx.attempt
  if (attempt) reply.header(HEADERS.fallbackIndex, ATTEMPT_COUNTS[attempt.choice] ?? String(attempt.choice))
  if (ctx.degraded.length > 0) reply.header(HEADERS.degraded, ctx.degraded.join(', '))
  reply.header(HEADERS.serverTiming, serverTiming(ctx))
}
