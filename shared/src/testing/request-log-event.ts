import { randomUUID } from 'node:crypto'
import { RequestLogEvent, type RequestLogEventInput } from '../events/request-log-event.ts'

/**
 * A request log event as the data plane emits it, for both planes' tests: a successful,
 * non-streaming chat completion of `teamId` with a fresh request id. `overrides` set what a
 * test is about (a status, a poisoned model, the usage it asserts on). Parsed, so a test
 * gets the schema's defaults exactly as the emitter and the ingester see them.
 */
export function requestLogEvent(teamId: string, overrides: Partial<RequestLogEventInput> = {}): RequestLogEvent {
  return RequestLogEvent.parse({
    requestId: `req_${randomUUID()}`,
    createdAt: new Date().toISOString(),
    teamId,
    virtualKeyId: null,
    endpoint: '/v1/chat/completions',
    provider: 'openai-main',
    model: 'gpt-4o-mini',
    stream: false,
    status: 200,
    outcome: 'success',
    latencyMs: 12,
    ...overrides,
  })
}
