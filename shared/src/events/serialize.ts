import type { Attempt, RequestLogEvent, Usage } from './request-log-event.ts'
import { storableJson } from './storable.ts'

// The wire form of a RequestLogEvent on the log stream, written by the data plane once per
// request on its hot core: compact JSON built directly (no generic JSON.stringify walk), with
// every member that holds its schema default left out (null ids and codes, `bypass`, empty
// attempts and metadata…). The consumer's RequestLogEvent.parse fills the defaults back in, so
// parse(JSON.parse(serialize(e))) equals e; ~30% fewer bytes on the stream, which on loopback
// TCP cost as much CPU as building them. The wire form is always storable in Postgres (see
// storable.ts): checked once on the finished string, so the common event costs one scan.

const str = JSON.stringify

function usageJson(usage: Usage): string {
  let out = `{"promptTokens":${usage.promptTokens},"completionTokens":${usage.completionTokens}`
  if (usage.totalTokens !== null) out += `,"totalTokens":${usage.totalTokens}`
  if (usage.cachedPromptTokens !== null) out += `,"cachedPromptTokens":${usage.cachedPromptTokens}`
  if (usage.reasoningTokens !== null) out += `,"reasoningTokens":${usage.reasoningTokens}`
  if (usage.estimated) out += ',"estimated":true'
  return `${out}}`
}

function attemptJson(attempt: Attempt): string {
  let out = `{"provider":${str(attempt.provider)},"model":${str(attempt.model)},"status":${attempt.status},"latencyMs":${attempt.latencyMs}`
  if (attempt.providerId !== null) out += `,"providerId":${str(attempt.providerId)}`
  if (attempt.errorCode !== null) out += `,"errorCode":${str(attempt.errorCode)}`
  if (attempt.upstreamRequestId !== null) out += `,"upstreamRequestId":${str(attempt.upstreamRequestId)}`
  if (attempt.startedAt !== null) out += `,"startedAt":${str(attempt.startedAt)}`
  if (attempt.firstByteAt !== null) out += `,"firstByteAt":${str(attempt.firstByteAt)}`
  if (attempt.endedAt !== null) out += `,"endedAt":${str(attempt.endedAt)}`
  if (attempt.outcome !== null) out += `,"outcome":${str(attempt.outcome)}`
  if (attempt.errorKind !== null) out += `,"errorKind":${str(attempt.errorKind)}`
  if (attempt.usage !== null) out += `,"usage":${usageJson(attempt.usage)}`
  return `${out}}`
}

function wireOf(event: RequestLogEvent): string {
  let out =
    `{"requestId":${str(event.requestId)},"createdAt":${str(event.createdAt)},"teamId":${str(event.teamId)},` +
    `"virtualKeyId":${event.virtualKeyId === null ? 'null' : str(event.virtualKeyId)},"endpoint":${str(event.endpoint)},` +
    `"provider":${event.provider === null ? 'null' : str(event.provider)},"model":${event.model === null ? 'null' : str(event.model)},` +
    `"stream":${event.stream},"status":${event.status},"outcome":${str(event.outcome)},"latencyMs":${event.latencyMs}`
  if (event.eventVersion !== 1) out += `,"eventVersion":${event.eventVersion}`
  if (event.snapshotVersion !== null) out += `,"snapshotVersion":${event.snapshotVersion}`
  if (event.errorCode !== null) out += `,"errorCode":${str(event.errorCode)}`
  if (event.ttftMs !== null) out += `,"ttftMs":${event.ttftMs}`
  if (event.usage !== null) out += `,"usage":${usageJson(event.usage)}`
  if (event.costUsd !== null) out += `,"costUsd":${str(event.costUsd)}`
  if (event.cacheStatus !== 'bypass') out += `,"cacheStatus":${str(event.cacheStatus)}`
  if (event.attempts.length > 0) out += `,"attempts":[${event.attempts.map(attemptJson).join(',')}]`
  for (const _ in event.metadata) {
    out += `,"metadata":${str(event.metadata)}`
    break
  }
  return `${out}}`
}

/**
 * What JSON.stringify writes for U+0000 and for a lone surrogate (always lower-case hex). A
 * string holding a literal backslash before `u0000` matches too: a needless second pass, no harm.
 */
const UNSTORABLE_ESCAPE = /\\u(?:0000|d[89a-f])/

export function serializeRequestLogEvent(event: RequestLogEvent): string {
  const wire = wireOf(event)
  return UNSTORABLE_ESCAPE.test(wire) ? wireOf(storableJson(event)) : wire
}
