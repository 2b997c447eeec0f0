import type { Attempt, RequestLogEvent, RequestOutcome } from '@switchyard/shared/events'
import type { AttemptRecord } from '../plan/attempt-record.ts'
import type { RequestContext } from './context.ts'
import { estimateUsage, needsUsageEstimate } from './estimate-usage.ts'
import type { Finished } from './stage.ts'

// 2. meter (an after-half only): once the response is over, one RequestLogEvent per
// authenticated request (success or error), its attempts as the executor recorded them.
// Unauthenticated requests (401 before a key was found) have no team to bill or show them to:
// the meter comes after authenticate, so it never runs for them. An operation that calls no
// model (the models listing) is not metered. A request cut short before the provider's usage
// arrived gets its usage estimated first (estimate-usage.ts).

export function meterRequest(ctx: RequestContext, finished: Finished): void {
  if (ctx.operation.metered) emitLogEvent(ctx, finished, ctx.emitLog)
}

function isoAt(ctx: RequestContext, at: number | null): string | null {
  return at === null ? null : new Date(ctx.createdAtMs + (at - ctx.startedAt)).toISOString()
}

function attemptOf(ctx: RequestContext, attempt: AttemptRecord, now: number, finalStatus: number): Attempt {
  const exchange = attempt.exchange
  return {
    provider: attempt.target.provider.name,
    providerId: attempt.target.provider.id,
    model: attempt.target.upstreamModel,
    status: attempt.status ?? finalStatus,
    latencyMs: Math.round((exchange?.doneAt ?? attempt.endedAt ?? now) - attempt.startedAt),
    errorCode: attempt.errorCode,
    upstreamRequestId: exchange?.upstreamRequestId ?? null,
    startedAt: isoAt(ctx, attempt.startedAt),
    firstByteAt: isoAt(ctx, attempt.firstByteAt),
    endedAt: isoAt(ctx, attempt.endedAt ?? now),
    outcome: attempt.outcome ?? 'error',
    errorKind: attempt.errorKind,
    usage: attempt.usage,
  }
}

export const CLIENT_CLOSED_STATUS = 499

export function buildLogEvent(ctx: RequestContext, finished: { status: number; clientGone: boolean }): RequestLogEvent | null {
  const { key, target, outcome } = ctx
  if (!key) return null
  const now = performance.now()
  let result: RequestOutcome
  if (outcome.stream) result = outcome.stream.result
  else if (finished.clientGone) result = 'client_cancelled'
  else result = finished.status >= 400 || outcome.errorCode ? 'error' : 'success'
  const status = result === 'client_cancelled' && !outcome.stream ? CLIENT_CLOSED_STATUS : finished.status
  const model = outcome.model ?? target?.upstreamModel ?? ctx.requestedModel
  return {
    eventVersion: 1,
    requestId: ctx.requestId,
    createdAt: new Date(ctx.createdAtMs).toISOString(),
    teamId: key.teamId,
    virtualKeyId: key.id,
    snapshotVersion: ctx.runtime?.version ?? null,
    endpoint: ctx.endpoint,
    provider: target?.provider.name ?? null,
    model,
    stream: ctx.stream,
    status,
    outcome: result,
    errorCode: outcome.errorCode,
    latencyMs: Math.round(now - ctx.startedAt),
    ttftMs: outcome.ttftMs,
    usage: outcome.usage,
    costUsd: null,
    cacheStatus: 'bypass',
    attempts: ctx.attempts.map((attempt) => attemptOf(ctx, attempt, now, status)),
    metadata: {},
  }
}

/** Builds the request's log event and hands it to `emit`: at once, or once its usage is estimated. */
export function emitLogEvent(ctx: RequestContext, finished: { status: number; clientGone: boolean }, emit: (event: RequestLogEvent) => void): void {
  const event = buildLogEvent(ctx, finished)
  if (!event) return
  if (!needsUsageEstimate(ctx, event)) return emit(event)
  // An estimate that fails still leaves the row (with what the provider reported): never a dropped event.
  estimateUsage(ctx, event.usage).then(
    (usage) => emit({ ...event, usage }),
    () => emit(event),
  )
}
