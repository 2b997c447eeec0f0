import { createServer, type IncomingMessage } from 'node:http'
import { Pool } from 'undici'

// The floor: what Node itself costs for a proxy hop. node:http in, one keep-alive undici Pool
// out; the request body is forwarded as the bytes received, the response (JSON or SSE) is relayed
// chunk by chunk as it arrives, with no parsing, no auth, no logging. Any gateway built on Node
// pays at least this; Switchyard's targets are ratios to it.
//
// usage: floor-proxy <listen port> <upstream origin>

const port = Number(process.argv[2])
const upstream = process.argv[3]
if (!port || !upstream) throw new Error('usage: floor-proxy <port> <upstream origin>')

const pool = new Pool(upstream, { connections: null, pipelining: 1, keepAliveTimeout: 30_000 })

/** Request headers forwarded upstream: the provider's credentials and API version, and the body's type. */
const FORWARDED = ['content-type', 'authorization', 'x-api-key', 'anthropic-version', 'anthropic-beta', 'accept']

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

const server = createServer(async (req, res) => {
  const abort = new AbortController()
  res.on('close', () => {
    if (!res.writableFinished) abort.abort()
  })
  try {
    const body = await readBody(req)
    const headers: Record<string, string> = {}
    for (const name of FORWARDED) {
      const value = req.headers[name]
      if (typeof value === 'string') headers[name] = value
    }
    const answer = await pool.request({
      path: req.url ?? '/',
      method: 'POST',
      headers,
      body,
      signal: abort.signal,
      headersTimeout: 120_000,
      bodyTimeout: 60_000,
    })
    const out: Record<string, string> = {}
    const type = answer.headers['content-type']
    if (typeof type === 'string') out['content-type'] = type
    res.writeHead(answer.statusCode, out)
    for await (const chunk of answer.body) {
      if (!res.write(chunk as Buffer)) await new Promise((r) => res.once('drain', r))
    }
    res.end()
  } catch (err) {
    if (res.headersSent) {
      res.destroy()
      return
    }
    res.writeHead(502, { 'content-type': 'application/json' })
    res.end(JSON.stringify({ error: { message: `floor: ${err instanceof Error ? err.message : String(err)}`, type: 'api_error' } }))
  }
})
server.keepAliveTimeout = 60_000
server.headersTimeout = 65_000
server.requestTimeout = 0

server.listen(port, '127.0.0.1', () => process.stdout.write(`floor listening ${port}\n`))
const stop = () => {
  server.close()
  void pool.close().finally(() => process.exit(0))
}
process.once('SIGTERM', stop)
process.once('SIGINT', stop)
