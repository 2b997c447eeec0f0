import type { IncomingMessage, ServerResponse } from 'node:http'
import { writeReadableStreamToWritable } from '@remix-run/node'

// Node request → Fetch Request and Fetch Response → Node response, for the two Request →
// Response handlers the server mounts (the admin API and Remix). The body is handed over
// already read, so its size limit (body-limit.ts) holds whatever the handler does with it.

function headersOf(req: IncomingMessage): Headers {
  const headers = new Headers()
  for (const [name, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) value.forEach((v) => headers.append(name, v))
    else if (value !== undefined) headers.set(name, value)
  }
  return headers
}

/**
 * `path` is the full request path (Express's `originalUrl`: mounting strips the prefix from
 * `req.url`). Null when the Host header cannot form a URL (the caller answers 400).
 */
export function toFetchRequest(
  req: IncomingMessage,
  { path, body, signal }: { path: string; body: Buffer | null; signal?: AbortSignal },
): Request | null {
  let url: URL
  try {
    url = new URL(`http://${req.headers.host ?? 'localhost'}${path}`)
  } catch {
    return null
  }
  const hasBody = body !== null && req.method !== 'GET' && req.method !== 'HEAD'
  return new Request(url, { method: req.method, headers: headersOf(req), ...(hasBody ? { body: new Uint8Array(body) } : {}), ...(signal ? { signal } : {}) })
}

/** An AbortSignal that fires when the client goes away before the response is complete. */
export function abortOnClientGone(res: ServerResponse): AbortSignal {
  const controller = new AbortController()
  res.once('close', () => {
    if (!res.writableFinished) controller.abort()
  })
  return controller.signal
}

/** Streams the response (console pages render as they go); `res` keeps headers set before. */
export async function sendFetchResponse(res: ServerResponse, response: Response): Promise<void> {
  res.statusCode = response.status
  if (response.statusText) res.statusMessage = response.statusText
  const cookies = response.headers.getSetCookie()
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') res.setHeader(name, value)
  })
  if (cookies.length > 0) res.setHeader('set-cookie', cookies)
  if (response.body) await writeReadableStreamToWritable(response.body, res)
  else res.end()
}
