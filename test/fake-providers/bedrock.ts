import type { IncomingMessage, ServerResponse } from 'node:http'
import { crc32 } from 'node:zlib'
import { signV4 } from '@switchyard/shared/aws'
import { type AnswerBlock, type BedrockAnswer, type ConverseBody, planBedrockAnswer } from './bedrock-answer.ts'
import { type FakeReply, fakeTokens, hex, pieces } from './fake-content.ts'
import { FAKE_SCRIPTS, scriptedReply, statusFailureOf } from './fake-script.ts'

// A fake of Amazon Bedrock Converse (POST /model/{modelId}/converse) and ConverseStream
// (/converse-stream), mounted at `/bedrock` (a `bedrock` connection's baseUrl). It verifies the
// SigV4 signature as AWS does (recomputed with the shared signer from the secret of the access
// key, over the path as received encoded once more): an unknown key is a 403
// UnrecognizedClientException, a wrong signature a 403 InvalidSignatureException. Errors are
// `{"message"}` with the exception in `x-amzn-errortype`; streams are the binary event stream
// (application/vnd.amazon.eventstream) with CRCs. Scripted by model id (fake-script.ts): error-429
// (ThrottlingException; Bedrock sends no retry-after) · error-503 / overloaded
// (ServiceUnavailableException) · error-500 · error-in-stream (HTTP 200 whose first message is a
// serviceUnavailableException event) · throttled-in-stream (messageStart then a
// throttlingException event) · error-mid-stream (content, then modelStreamErrorException) ·
// cut-stream · slow-stream · byte-chunks · slow-headers · stall-stream · anything else: answers
// as bedrock-answer.ts decides.

export const FAKE_AWS_CREDENTIALS = { accessKeyId: 'AKIAFAKEBEDROCK00001', secretAccessKey: 'fake/Bedrock+Secret/0000000000000000000000' } as const
export const FAKE_BEDROCK_MODELS = { ...FAKE_SCRIPTS, throttledInStream: 'throttled-in-stream', errorMidStream: 'error-mid-stream' } as const

const PATH = /^\/bedrock\/model\/([^/?]+)\/(converse|converse-stream)$/
const AUTH = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/

function sendError(reply: FakeReply, status: number, exception: string, message: string, extra: Record<string, string> = {}): void {
  reply.head(status, { 'content-type': 'application/json', 'x-amzn-requestid': hex(16), 'x-amzn-errortype': `${exception}:http://internal.amazon.com/coral/com.amazon.bedrock/`, ...extra })
  reply.end(JSON.stringify({ message }))
}

/** The failure AWS answers for the request's signature, or null when it is valid. */
function signatureFailure(req: IncomingMessage, body: string): [string, string] | null {
  const match = AUTH.exec(String(req.headers.authorization ?? ''))
  if (!match || match[1] !== FAKE_AWS_CREDENTIALS.accessKeyId) return ['UnrecognizedClientException', 'The security token included in the request is invalid.']
  const [, , , region = '', service, signedHeaders = ''] = match
  const stamp = String(req.headers['x-amz-date'] ?? '')
  const now = new Date(stamp.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'))
  const headers: Record<string, string> = {}
  for (const name of signedHeaders.split(';')) if (!['host', 'x-amz-date', 'x-amz-security-token'].includes(name)) headers[name] = String(req.headers[name] ?? '')
  const path = (req.url ?? '/').split('/').map((segment) => encodeURIComponent(segment)).join('/')
  const url = new URL(`http://${req.headers.host ?? ''}${path}`)
  const token = req.headers['x-amz-security-token']
  const expected = signV4({ method: req.method ?? 'POST', url, headers, body, region, service: service ?? '', now }, { ...FAKE_AWS_CREDENTIALS, sessionToken: typeof token === 'string' ? token : undefined })
  if (service !== 'bedrock' || Number.isNaN(now.getTime()) || expected.headers.authorization !== req.headers.authorization) {
    return ['InvalidSignatureException', 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.']
  }
  return null
}

/** One event-stream message: prelude (lengths + CRC), string headers, payload, message CRC. */
export function eventStreamMessage(headers: Record<string, string>, payload: unknown): Buffer {
  const headerBytes = Buffer.concat(
    Object.entries(headers).map(([name, value]) => {
      const n = Buffer.from(name)
      const v = Buffer.from(value)
      const length = Buffer.alloc(2)
      length.writeUInt16BE(v.length)
      return Buffer.concat([Buffer.from([n.length]), n, Buffer.from([7]), length, v])
    }),
  )
  const body = Buffer.from(JSON.stringify(payload))
  const prelude = Buffer.alloc(12)
  prelude.writeUInt32BE(12 + headerBytes.length + body.length + 4, 0)
  prelude.writeUInt32BE(headerBytes.length, 4)
  prelude.writeUInt32BE(crc32(prelude.subarray(0, 8)), 8)
  const message = Buffer.concat([prelude, headerBytes, body])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(message))
  return Buffer.concat([message, crc])
}

const event = (type: string, payload: Record<string, unknown>) =>
  eventStreamMessage({ ':event-type': type, ':content-type': 'application/json', ':message-type': 'event' }, { ...payload, p: 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKL'.slice(0, 1 + (type.length % 20)) })
export const exception = (type: string, message: string) =>
  eventStreamMessage({ ':exception-type': type, ':content-type': 'application/json', ':message-type': 'exception' }, { message })

function usageOf(answer: BedrockAnswer) {
  const output = answer.content.map((b) => ('text' in b ? b.text : 'toolUse' in b ? JSON.stringify(b.toolUse.input) : b.reasoningContent.reasoningText.text)).join('')
  const [inputTokens, outputTokens] = [fakeTokens(answer.prompt), fakeTokens(output)]
  return { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens }
}

function blockEvents(block: AnswerBlock, contentBlockIndex: number): Buffer[] {
  const delta = (d: unknown) => event('contentBlockDelta', { contentBlockIndex, delta: d })
  const stop = event('contentBlockStop', { contentBlockIndex })
  if ('text' in block) return [...pieces(block.text, 3).map((text) => delta({ text })), stop]
  if ('reasoningContent' in block) {
    const { text, signature } = block.reasoningContent.reasoningText
    return [delta({ reasoningContent: { text } }), delta({ reasoningContent: { signature } }), stop]
  }
  const start = event('contentBlockStart', { contentBlockIndex, start: { toolUse: { toolUseId: block.toolUse.toolUseId, name: block.toolUse.name } } })
  return [start, ...pieces(JSON.stringify(block.toolUse.input), 3).map((input) => delta({ toolUse: { input } })), stop]
}

export function streamMessages(answer: BedrockAnswer): Buffer[] {
  return [
    event('messageStart', { role: 'assistant' }),
    ...answer.content.flatMap((block, i) => blockEvents(block, i)),
    event('messageStop', { stopReason: answer.stopReason }),
    event('metadata', { usage: usageOf(answer), metrics: { latencyMs: 42 } }),
  ]
}

function scripted(reply: FakeReply, model: string): boolean {
  const failure = statusFailureOf(model)
  if (failure === 'rate-limited') sendError(reply, 429, 'ThrottlingException', 'Too many requests, please wait before trying again.')
  else if (failure === 'overloaded') sendError(reply, 503, 'ServiceUnavailableException', 'Bedrock is unable to process your request.')
  else if (failure === 'server-error') sendError(reply, 500, 'InternalServerException', 'The server encountered an error processing your request.')
  else return false
  return true
}

function sendStream(reply: FakeReply, model: string, answer: BedrockAnswer): void {
  reply.head(200, { 'content-type': 'application/vnd.amazon.eventstream', 'x-amzn-requestid': hex(16) })
  const messages = streamMessages(answer)
  const write = (bytes: Buffer) => reply.write(bytes)
  if (model === FAKE_BEDROCK_MODELS.errorInStream) {
    write(exception('serviceUnavailableException', 'Bedrock is unable to process your request.'))
  } else if (model === FAKE_BEDROCK_MODELS.throttledInStream) {
    write(messages[0] ?? Buffer.alloc(0))
    write(exception('throttlingException', 'Too many tokens, please wait before trying again.'))
  } else if (model === FAKE_BEDROCK_MODELS.errorMidStream) {
    for (const m of messages.slice(0, 3)) write(m)
    write(exception('modelStreamErrorException', 'The model stream failed.'))
  } else for (const m of messages) write(m)
  reply.end()
}

export function handleConverse(req: IncomingMessage, rawBody: string, reply: FakeReply): void {
  const match = PATH.exec(req.url ?? '')
  if (!match?.[1]) return sendError(reply, 404, 'UnknownOperationException', 'Unknown operation')
  const failure = signatureFailure(req, rawBody)
  if (failure) return sendError(reply, 403, ...failure)
  const model = decodeURIComponent(match[1])
  if (scripted(reply, model)) return
  let body: ConverseBody
  try {
    body = JSON.parse(rawBody) as ConverseBody
  } catch {
    return sendError(reply, 400, 'SerializationException', 'Could not parse the request body.')
  }
  const answer = planBedrockAnswer(body)
  if ('error' in answer) return sendError(reply, 400, 'ValidationException', answer.error)
  const out = scriptedReply(reply, model, { cutAfter: 3 })
  if (match[2] === 'converse-stream') return sendStream(out, model, answer)
  out.head(200, { 'content-type': 'application/json', 'x-amzn-requestid': hex(16) })
  out.end(JSON.stringify({ output: { message: { role: 'assistant', content: answer.content } }, stopReason: answer.stopReason, usage: usageOf(answer), metrics: { latencyMs: 42 } }))
}

export function notFound(req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(404, { 'content-type': 'application/json', 'x-amzn-errortype': 'UnknownOperationException' }).end(JSON.stringify({ message: `Unknown operation ${req.url ?? ''}` }))
}
