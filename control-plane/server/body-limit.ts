import type { IncomingMessage, ServerResponse } from 'node:http'
import { ADMIN_API_MAX_BODY_BYTES } from '../app/api/http.server.ts'

// Request bodies are read here, and only here, with a byte limit enforced while they arrive
// (G-SEC-17): a declared Content-Length over the limit is refused before a byte is read, and a
// chunked body is dropped the moment it passes the limit. Nothing past the limit is buffered.

/** Every body the control plane accepts, by who sends it. */
export const BODY_LIMITS = {
  /** Console forms are urlencoded fields (no file uploads); the largest is a pasted key. */
  consoleForm: 64 * 1024,
  /** Admin API JSON (1 MB). */
  adminApi: ADMIN_API_MAX_BODY_BYTES,
} as const

/**
 * How long a refused request's remaining bytes are read and thrown away before the socket is
 * cut. Closing a socket with unread input makes the kernel send a reset, which can destroy the
 * 413 before the client reads it (RFC 9112 §9.6: close in stages).
 */
const LINGER_MS = 2_000

export type BodyRead =
  | { kind: 'ok'; body: Buffer | null }
  | { kind: 'too_large' }
  /** The client went away before the body was complete: there is no one to answer. */
  | { kind: 'aborted' }

const BODILESS_METHODS = new Set(['GET', 'HEAD'])

function declaredLength(req: IncomingMessage): number | null {
  const header = req.headers['content-length']
  return header === undefined ? null : Number(header)
}

/**
 * Reads the request body up to `limit` bytes. GET and HEAD bodies are never read (Node discards
 * them after the response), but an oversized declared one is still refused.
 */
export function readBodyWithin(req: IncomingMessage, limit: number): Promise<BodyRead> {
  const declared = declaredLength(req)
  if (declared !== null && declared > limit) return Promise.resolve({ kind: 'too_large' })
  if (BODILESS_METHODS.has(req.method ?? 'GET')) return Promise.resolve({ kind: 'ok', body: null })
  if (req.readableEnded) return Promise.resolve({ kind: 'ok', body: Buffer.alloc(0) })
  return new Promise((resolve) => {
    const chunks: Buffer[] = []
    let size = 0
    const finish = (result: BodyRead) => {
      req.off('data', onData).off('end', onEnd).off('close', onClose)
      resolve(result)
    }
    const onData = (chunk: Buffer) => {
      size += chunk.length
      if (size > limit) {
        req.pause()
        finish({ kind: 'too_large' })
      } else {
        chunks.push(chunk)
      }
    }
    const onEnd = () => finish({ kind: 'ok', body: Buffer.concat(chunks) })
    const onClose = () => finish({ kind: 'aborted' })
    // 'error' (a reset mid-body) is followed by 'close'; a listener keeps it from being thrown.
    req.on('error', () => {})
    req.on('data', onData).on('end', onEnd).on('close', onClose)
  })
}

/**
 * Sends the 413 that `respond` writes with `Connection: close` (a keep-alive client would
 * otherwise send its next request down this dying socket), then closes in stages.
 */
export function refuseOversizedBody(req: IncomingMessage, res: ServerResponse, respond: () => void): void {
  const socket = req.socket
  // Node ends a `Connection: close` response's socket with destroySoon(): end, then destroy as
  // soon as the answer is flushed, with the refused body still unread. Here it half-closes
  // instead (the client reads the answer, then EOF), discards what still arrives, and cuts the
  // socket when the body ends or after LINGER_MS.
  socket.destroySoon = () => {
    socket.end()
    if (req.readableEnded) return void socket.destroy()
    const cut = setTimeout(() => socket.destroy(), LINGER_MS)
    cut.unref()
    req.once('end', () => {
      clearTimeout(cut)
      socket.destroy()
    })
    req.on('error', () => {})
    req.resume()
  }
  res.setHeader('connection', 'close')
  respond()
}
