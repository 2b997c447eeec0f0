import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import * as anthropic from './anthropic.ts'
import { handleAzure } from './azure.ts'
import * as bedrock from './bedrock.ts'
import type { FakeReply } from './fake-content.ts'
import * as google from './google.ts'
import * as openai from './openai.ts'

// Fake LLM providers on one real HTTP server (127.0.0.1), one path prefix per provider:
// `/openai/v1` (base URL includes /v1) and `/anthropic` (base URL without /v1, CONTRACT.md);
// Gemini and Bedrock fakes slot in beside them.

export interface RecordedRequest {
  method: string
  path: string
  headers: IncomingHttpHeaders
  body: string
  /** What the fake answered, byte for byte, once the exchange is over. */
  response: { status: number; headers: Record<string, string>; body: Buffer } | null
  /** True when the client went away before the fake finished its answer. */
  aborted: boolean
  /** How many separate writes the answer's body took (1-byte chunking: one per byte). */
  writes: number
  /** Resolves when the exchange is over (answer finished or client gone). */
  done: Promise<void>
}

export interface FakeProviders {
  url: string
  openaiBaseUrl: string
  /** An `anthropic` connection's baseUrl: `/v1/messages` is appended to it. */
  anthropicBaseUrl: string
  /** An `azure-openai` connection's baseUrl (`/openai/deployments/<d>/…?api-version=` is appended). */
  azureBaseUrl: string
  /** A `google` connection's baseUrl (`/v1beta/models/<m>:generateContent` is appended). */
  googleBaseUrl: string
  /** A `bedrock` connection's baseUrl (`/model/<id>/converse` is appended; SigV4 verified). */
  bedrockBaseUrl: string
  requests: RecordedRequest[]
  close(): Promise<void>
}

function recordingReply(res: ServerResponse, record: RecordedRequest): FakeReply {
  const sent: Buffer[] = []
  let status = 0
  let headers: Record<string, string> = {}
  const finish = () => {
    record.response = { status, headers, body: Buffer.concat(sent) }
  }
  res.on('close', () => {
    if (!res.writableFinished) record.aborted = true
    finish()
  })
  return {
    head(s, h) {
      status = s
      headers = h
      res.writeHead(s, h)
      res.flushHeaders()
    },
    write(bytes) {
      if (res.destroyed) return
      sent.push(Buffer.from(bytes))
      record.writes += 1
      res.write(bytes)
    },
    end(bytes) {
      if (res.destroyed) return
      if (bytes !== undefined) sent.push(Buffer.from(bytes))
      res.end(bytes)
    },
    sleep(ms) {
      return new Promise((resolve) => {
        if (res.destroyed) return resolve(false)
        const onClose = () => {
          clearTimeout(timer)
          resolve(false)
        }
        const timer = setTimeout(() => {
          res.off('close', onClose)
          resolve(!res.destroyed)
        }, ms)
        res.once('close', onClose)
      })
    },
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

const OPENAI_POSTS: Record<string, typeof openai.handleEmbeddings | undefined> = {
  '/openai/v1/embeddings': openai.handleEmbeddings,
  '/openai/v1/responses': openai.handleResponses,
}

async function handle(req: IncomingMessage, res: ServerResponse, requests: RecordedRequest[] | null): Promise<void> {
  const body = await readBody(req)
  let resolveDone = () => {}
  const record: RecordedRequest = {
    method: req.method ?? 'GET',
    path: req.url ?? '/',
    headers: req.headers,
    body,
    response: null,
    aborted: false,
    writes: 0,
    done: new Promise<void>((resolve) => (resolveDone = resolve)),
  }
  res.on('close', () => resolveDone())
  requests?.push(record)
  if (req.method === 'POST' && req.url === '/openai/v1/chat/completions') {
    return openai.handleChatCompletions(body, req.headers.authorization, recordingReply(res, record))
  }
  if (req.method === 'POST' && req.url === '/anthropic/v1/messages') {
    return anthropic.handleMessages(body, req.headers, recordingReply(res, record))
  }
  const post = OPENAI_POSTS[req.method === 'POST' ? (req.url ?? '') : '']
  if (post) return post(body, req.headers.authorization, recordingReply(res, record))
  if (req.method === 'POST' && req.url === '/anthropic/v1/messages/count_tokens') {
    return anthropic.handleCountTokens(body, req.headers, recordingReply(res, record))
  }
  if (req.method === 'POST' && req.url?.startsWith('/azure/') && (await handleAzure(req.url ?? '', req.headers, body, recordingReply(res, record)))) return
  if (req.method === 'GET' && (req.url === '/openai/v1/models' || req.url?.startsWith('/anthropic/v1/models'))) {
    return listModels(req, res)
  }
  if (req.method === 'POST' && req.url?.startsWith('/google/')) return google.handleGenerate(req, body, recordingReply(res, record))
  if (req.method === 'POST' && req.url?.startsWith('/bedrock/')) return bedrock.handleConverse(req, body, recordingReply(res, record))
  if (req.url?.startsWith('/google/')) return google.notFound(req, res)
  if (req.url?.startsWith('/bedrock/')) return bedrock.notFound(req, res)
  if (req.url?.startsWith('/anthropic/')) return anthropic.notFound(req, res)
  openai.notFound(req, res)
}

/**
 * The cheap authenticated endpoints "test connection" calls: 200 with a model list when a key
 * is present (OpenAI: `Authorization: Bearer <key>`; Anthropic: `x-api-key` + `anthropic-version`),
 * else 401 in the provider's shape.
 */
function listModels(req: IncomingMessage, res: ServerResponse): void {
  const json = { 'content-type': 'application/json; charset=utf-8' }
  if (req.url?.startsWith('/anthropic/')) {
    const key = req.headers['x-api-key']
    if (typeof key !== 'string' || key.length === 0 || !req.headers['anthropic-version']) {
      res.writeHead(401, json).end(JSON.stringify({ type: 'error', error: { type: 'authentication_error', message: 'invalid x-api-key' } }))
      return
    }
    const data = Object.values(anthropic.FAKE_ANTHROPIC_MODELS).map((id) => ({ type: 'model', id, display_name: id }))
    res.writeHead(200, json).end(JSON.stringify({ data, has_more: false, first_id: data[0]?.id ?? null, last_id: null }))
    return
  }
  const authorization = req.headers.authorization ?? ''
  if (!authorization.startsWith('Bearer ') || authorization.length <= 'Bearer '.length) {
    const error = { message: 'Incorrect API key provided.', type: 'invalid_request_error', param: null, code: 'invalid_api_key' }
    res.writeHead(401, json).end(JSON.stringify({ error }))
    return
  }
  const data = Object.values(openai.FAKE_OPENAI_MODELS).map((id) => ({ id, object: 'model', created: 0, owned_by: 'fake' }))
  res.writeHead(200, json).end(JSON.stringify({ object: 'list', data }))
}

/** `record: false` keeps nothing per request (long benchmark runs). */
export async function startFakeProviders(options: { port?: number; record?: boolean } = {}): Promise<FakeProviders> {
  const requests: RecordedRequest[] = []
  const recorded = options.record === false ? null : requests
  const server = createServer((req, res) => {
    handle(req, res, recorded).catch(() => res.destroy())
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as AddressInfo
  const url = `http://127.0.0.1:${port}`
  return {
    url,
    openaiBaseUrl: `${url}/openai/v1`,
    anthropicBaseUrl: `${url}/anthropic`,
    azureBaseUrl: `${url}/azure`,
    googleBaseUrl: `${url}/google`,
    bedrockBaseUrl: `${url}/bedrock`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
