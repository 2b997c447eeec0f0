import { request } from 'node:http'

// Clients on node:http for what fetch will not do. sendBody sends a body of any size without
// holding it: one 64 KB chunk written again and again, with backpressure (what a hostile or
// broken client does to the control plane). postFormRaw picks the Host header and source address.

export interface RawAnswer {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
  /** Bytes the client managed to write before the server stopped it. */
  sent: number
}

export function sendBody(
  url: string,
  options: { method?: string; headers?: Record<string, string>; bytes: number; chunked: boolean },
): Promise<RawAnswer> {
  const chunk = Buffer.alloc(64 * 1024, 'a')
  return new Promise((resolve, reject) => {
    let sent = 0
    let answered = false
    const headers = { ...options.headers, ...(options.chunked ? {} : { 'content-length': String(options.bytes) }) }
    const req = request(url, { method: options.method ?? 'POST', headers }, (res) => {
      answered = true
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (d: string) => (body += d))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body, sent }))
      res.on('error', reject)
    })
    // Once the server has answered, its closing the connection under our writes is expected.
    req.on('error', (err) => {
      if (!answered) reject(err)
    })
    const write = () => {
      while (sent < options.bytes) {
        const piece = Math.min(chunk.length, options.bytes - sent)
        sent += piece
        if (!req.write(piece === chunk.length ? chunk : chunk.subarray(0, piece))) return void req.once('drain', write)
      }
      req.end()
    }
    write()
  })
}

/**
 * A urlencoded form POST through node:http, which (unlike fetch) lets a test choose the Host
 * header it sends and the local address it sends from.
 */
export function postFormRaw(
  url: string,
  fields: Record<string, string>,
  options: { headers?: Record<string, string>; localAddress?: string } = {},
): Promise<{ status: number; location: string | undefined }> {
  const body = new URLSearchParams(fields).toString()
  return new Promise((resolve, reject) => {
    const headers = { ...options.headers, 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) }
    const req = request(url, { method: 'POST', headers, localAddress: options.localAddress }, (res) => {
      res.resume()
      res.on('end', () => resolve({ status: res.statusCode ?? 0, location: res.headers.location }))
    })
    req.on('error', reject)
    req.end(body)
  })
}
