import type { IncomingHttpHeaders } from 'node:http'
import { type FakeReply, hex } from './fake-content.ts'
import { type StatusFailure, statusFailureOf } from './fake-script.ts'
import { baseHeaders, handleChatCompletions, handleEmbeddings } from './openai.ts'

// A fake of Azure OpenAI (mounted at `<fake url>/azure`, the connection's baseUrl):
// `POST /openai/deployments/<deployment>/{chat/completions,embeddings}?api-version=…`,
// authenticated by `api-key` (an `Authorization` header alone is refused, as Azure does for
// key auth). The deployment name is what the request used as model; otherwise it answers as
// the OpenAI fake does (same wire and answer logic, same scripted model names: fake-script.ts),
// except that the scripted status failures come in Azure's error shape (`{"error":{code,
// message}}`, 429 with `retry-after` and `retry-after-ms`), and the `content-filtered` deployment: a completion stopped by Azure's content filter (`finish_reason:
// "content_filter"`, `prompt_filter_results`, `content_filter_results`).

export const FAKE_AZURE_DEPLOYMENTS = { contentFiltered: 'content-filtered' } as const

const PATH = /^\/azure\/openai\/deployments\/([^/?]+)\/(chat\/completions|embeddings)(\?.*)?$/
const JSON_TYPE = { 'content-type': 'application/json' }

function azureError(reply: FakeReply, status: number, code: string, message: string, extra: Record<string, string> = {}): void {
  reply.head(status, { ...baseHeaders(), ...JSON_TYPE, 'apim-request-id': hex(16), ...extra })
  reply.end(JSON.stringify({ error: { code, message } }))
}

function scriptedFailure(reply: FakeReply, failure: StatusFailure, apiVersion: string): void {
  if (failure === 'rate-limited') {
    const message = `Requests to the ChatCompletions_Create Operation under Azure OpenAI API version ${apiVersion} have exceeded call rate limit of your current OpenAI S0 pricing tier. Please retry after 2 seconds.`
    return azureError(reply, 429, '429', message, { 'retry-after': '2', 'retry-after-ms': '2000', 'x-ratelimit-remaining-requests': '0' })
  }
  if (failure === 'overloaded') return azureError(reply, 503, 'ServiceUnavailable', 'The service is temporarily unable to process your request. Please try again later.')
  azureError(reply, 500, 'InternalServerError', 'The server had an error while processing your request. Sorry about that!')
}

const SAFE = { hate: { filtered: false, severity: 'safe' }, self_harm: { filtered: false, severity: 'safe' }, sexual: { filtered: false, severity: 'safe' }, violence: { filtered: false, severity: 'safe' } }

function contentFiltered(reply: FakeReply): void {
  reply.head(200, { ...baseHeaders(), ...JSON_TYPE, 'apim-request-id': hex(16) })
  reply.end(
    JSON.stringify({
      id: `chatcmpl-${hex(12)}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: 'gpt-4o-2024-08-06',
      prompt_filter_results: [{ prompt_index: 0, content_filter_results: SAFE }],
      choices: [{ index: 0, finish_reason: 'content_filter', message: { role: 'assistant', content: null }, content_filter_results: { ...SAFE, violence: { filtered: true, severity: 'high' } } }],
      usage: { prompt_tokens: 9, completion_tokens: 0, total_tokens: 9 },
    }),
  )
}

/** True when the request was Azure's (and answered). */
export async function handleAzure(url: string, headers: IncomingHttpHeaders, rawBody: string, reply: FakeReply): Promise<boolean> {
  const match = PATH.exec(url)
  if (!match) return false
  const [, deployment = '', operation] = match
  const apiVersion = new URLSearchParams(match[3]?.slice(1) ?? '').get('api-version')
  const key = headers['api-key']
  if (typeof key !== 'string' || key.length === 0) {
    azureError(reply, 401, '401', 'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.')
    return true
  }
  if (!apiVersion) {
    azureError(reply, 404, '404', 'Resource not found')
    return true
  }
  const failure = statusFailureOf(decodeURIComponent(deployment))
  if (failure) {
    scriptedFailure(reply, failure, apiVersion)
    return true
  }
  if (deployment === FAKE_AZURE_DEPLOYMENTS.contentFiltered && operation === 'chat/completions') {
    contentFiltered(reply)
    return true
  }
  let body: Record<string, unknown>
  try {
    body = { ...(JSON.parse(rawBody) as Record<string, unknown>), model: decodeURIComponent(deployment) }
  } catch {
    body = {}
  }
  const handler = operation === 'embeddings' ? handleEmbeddings : handleChatCompletions
  await handler(JSON.stringify(body), `Bearer ${key}`, reply)
  return true
}
