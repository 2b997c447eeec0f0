import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'

// The benchmark's upstream: a lean node:http server speaking OpenAI chat completions and
// Anthropic messages (JSON, and SSE with usage) with a fixed time to first byte and N deltas.
// Every answer is precomputed per configuration and deterministic (fixed ids, timestamps and
// usage), so the bytes are the same whichever target the request came through. The bench sets
// the configuration between cells (`POST /__bench/config`); with `capture` on, the bytes of the
// last answer and the body of the last request are kept for the byte-identity check
// (`GET /__bench/last`). Nothing here is shared with test/fake-providers: that one is a faithful
// fake for the test suites; this one is built to cost as little as possible per request.

export interface UpstreamConfig {
  /** Delay before the status line (JSON) or before headers + the first event (SSE). */
  ttfbMs: number
  /** Content deltas per streamed answer (the JSON answer holds the same text). */
  deltas: number
  /** Delay between streamed events after the first (0 = all at once). */
  intervalMs: number
  capture: boolean
}

export const DEFAULT_UPSTREAM_CONFIG: UpstreamConfig = { ttfbMs: 0, deltas: 16, intervalMs: 0, capture: false }

export const OPENAI_MODEL = 'gpt-4o-mini-2024-07-18'
export const ANTHROPIC_MODEL = 'claude-3-5-haiku-20241022'
const CREATED = 1_735_689_600
const PROMPT_TOKENS = 57

export interface Answers {
  openaiJson: Buffer
  /** Streamed events, each framed; the usage-only event is at `openaiUsageIndex` when asked for. */
  openaiSse(includeUsage: boolean): Buffer[]
  anthropicJson: Buffer
  anthropicSse: Buffer[]
}

function word(i: number): string {
  return i === 0 ? 'Lorem' : ` ipsum${i}`
}

/** The answers for one configuration (pure: the bench recomputes them to know what was sent). */
export function buildAnswers(config: Pick<UpstreamConfig, 'deltas'>): Answers {
  const pieces = Array.from({ length: config.deltas }, (_, i) => word(i))
  const text = pieces.join('')
  const completionTokens = config.deltas
  const openaiUsage = {
    prompt_tokens: PROMPT_TOKENS,
    completion_tokens: completionTokens,
    total_tokens: PROMPT_TOKENS + completionTokens,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
  }
  const openaiJson = Buffer.from(
    JSON.stringify({
      id: 'chatcmpl-bench0000000000000000',
      object: 'chat.completion',
      created: CREATED,
      model: OPENAI_MODEL,
      choices: [{ index: 0, message: { role: 'assistant', content: text, refusal: null, annotations: [] }, logprobs: null, finish_reason: 'stop' }],
      usage: openaiUsage,
      service_tier: 'default',
      system_fingerprint: 'fp_bench0001',
    }),
  )
  const openaiChunk = (choices: unknown[], includeUsage: boolean, usage: unknown = null) =>
    Buffer.from(
      `data: ${JSON.stringify({
        id: 'chatcmpl-bench0000000000000000',
        object: 'chat.completion.chunk',
        created: CREATED,
        model: OPENAI_MODEL,
        service_tier: 'default',
        system_fingerprint: 'fp_bench0001',
        choices,
        ...(includeUsage ? { usage } : {}),
      })}\n\n`,
    )
  const openaiStreams = [false, true].map((includeUsage) => {
    const events = [openaiChunk([{ index: 0, delta: { role: 'assistant', content: '', refusal: null }, logprobs: null, finish_reason: null }], includeUsage)]
    for (const piece of pieces) events.push(openaiChunk([{ index: 0, delta: { content: piece }, logprobs: null, finish_reason: null }], includeUsage))
    events.push(openaiChunk([{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }], includeUsage))
    if (includeUsage) events.push(openaiChunk([], true, openaiUsage))
    events.push(Buffer.from('data: [DONE]\n\n'))
    return events
  })

  const anthropicUsage = { input_tokens: PROMPT_TOKENS, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: completionTokens, service_tier: 'standard' }
  const anthropicJson = Buffer.from(
    JSON.stringify({
      id: 'msg_bench00000000000000000000',
      type: 'message',
      role: 'assistant',
      model: ANTHROPIC_MODEL,
      content: [{ type: 'text', text }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: anthropicUsage,
    }),
  )
  const event = (name: string, data: unknown) => Buffer.from(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`)
  const anthropicSse = [
    event('message_start', {
      type: 'message_start',
      message: {
        id: 'msg_bench00000000000000000000',
        type: 'message',
        role: 'assistant',
        model: ANTHROPIC_MODEL,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { ...anthropicUsage, output_tokens: 1 },
      },
    }),
    event('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }),
    event('ping', { type: 'ping' }),
    ...pieces.map((piece) => event('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: piece } })),
    event('content_block_stop', { type: 'content_block_stop', index: 0 }),
    event('message_delta', { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: completionTokens } }),
    event('message_stop', { type: 'message_stop' }),
  ]
  return {
    openaiJson,
    openaiSse: (includeUsage) => openaiStreams[includeUsage ? 1 : 0] ?? [],
    anthropicJson,
    anthropicSse,
  }
}

export interface Captured {
  requestBody: string
  requestHeaders: Record<string, string | string[] | undefined>
  responseBytes: string
}

const OPENAI_HEADERS = {
  'x-request-id': 'req_bench0000',
  'openai-processing-ms': '1',
  'x-ratelimit-limit-requests': '10000',
  'x-ratelimit-remaining-requests': '9999',
}
const ANTHROPIC_HEADERS = { 'request-id': 'req_bench0000', 'anthropic-ratelimit-requests-remaining': '9999' }

export function startFakeUpstream(port: number): Promise<Server> {
  let config: UpstreamConfig = { ...DEFAULT_UPSTREAM_CONFIG }
  let answers = buildAnswers(config)
  let last: Captured | null = null

  const readBody = (req: IncomingMessage, then: (body: Buffer) => void) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => then(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)))
  }

  const later = (ms: number, fn: () => void) => (ms > 0 ? setTimeout(fn, ms) : fn())

  const sendJson = (res: ServerResponse, headers: Record<string, string>, body: Buffer, req: IncomingMessage, requestBody: Buffer) => {
    later(config.ttfbMs, () => {
      if (config.capture) last = { requestBody: requestBody.toString('utf8'), requestHeaders: req.headers, responseBytes: body.toString('latin1') }
      res.writeHead(200, { ...headers, 'content-type': 'application/json', 'content-length': body.length })
      res.end(body)
    })
  }

  const sendSse = (res: ServerResponse, headers: Record<string, string>, events: Buffer[], req: IncomingMessage, requestBody: Buffer) => {
    if (config.capture) last = { requestBody: requestBody.toString('utf8'), requestHeaders: req.headers, responseBytes: Buffer.concat(events).toString('latin1') }
    const { intervalMs } = config
    later(config.ttfbMs, () => {
      res.writeHead(200, { ...headers, 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' })
      if (intervalMs <= 0) {
        for (const e of events) res.write(e)
        res.end()
        return
      }
      let i = 0
      const next = () => {
        if (res.destroyed) return
        res.write(events[i++] as Buffer)
        if (i < events.length) setTimeout(next, intervalMs)
        else res.end()
      }
      next()
    })
  }

  const server = createServer((req, res) => {
    const url = req.url ?? '/'
    if (req.method === 'GET' && url === '/__bench/last') {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify(last))
      return
    }
    readBody(req, (body) => {
      if (url === '/__bench/config') {
        config = { ...DEFAULT_UPSTREAM_CONFIG, ...(JSON.parse(body.toString('utf8')) as Partial<UpstreamConfig>) }
        answers = buildAnswers(config)
        last = null
        res.writeHead(204).end()
        return
      }
      let parsed: { stream?: unknown; stream_options?: { include_usage?: unknown } | null }
      try {
        parsed = JSON.parse(body.toString('utf8')) as typeof parsed
      } catch {
        res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":{"message":"bad json","type":"invalid_request_error"}}')
        return
      }
      const stream = parsed.stream === true
      if (url === '/v1/chat/completions') {
        if (!stream) return sendJson(res, OPENAI_HEADERS, answers.openaiJson, req, body)
        return sendSse(res, OPENAI_HEADERS, answers.openaiSse(parsed.stream_options?.include_usage === true), req, body)
      }
      if (url === '/v1/messages') {
        if (!stream) return sendJson(res, ANTHROPIC_HEADERS, answers.anthropicJson, req, body)
        return sendSse(res, ANTHROPIC_HEADERS, answers.anthropicSse, req, body)
      }
      res.writeHead(404, { 'content-type': 'application/json' }).end(`{"error":{"message":"no route ${url}","type":"invalid_request_error"}}`)
    })
  })
  server.keepAliveTimeout = 60_000
  server.headersTimeout = 65_000
  server.requestTimeout = 0
  server.maxHeadersCount = 0
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => resolve(server))
  })
}
