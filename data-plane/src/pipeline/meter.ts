import type { RequestLogEvent, RequestOutcome } from '@switchyard/shared/events'
import type { RequestContext } from './context.ts'
import { estimateUsage, needsUsageEstimate } from './estimate-usage.ts'

// 7. After the response: one RequestLogEvent per authenticated request (success or error).
// Unauthenticated requests (401 before a key was found, body/parse errors raised by Fastify
// before the handler) have no team to bill or show them to, so they are not logged. A request
// cut short before the provider's usage arrived gets its usage estimated first (estimate-usage.ts).

export const CLIENT_CLOSED_STATUS = 499

export function buildLogEvent(ctx: RequestContext, finished: { status: number; clientGone: boolean }): RequestLogEvent | null {
  const { key, target, upstream, outcome } = ctx
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
    attempts:
      target && (upstream || outcome.errorCode)
        ? [
            {
              provider: target.provider.name,
              providerId: target.provider.id,
              model: target.upstreamModel,
              status: upstream?.response.statusCode ?? status,
              latencyMs: Math.round((upstream?.doneAt ?? now) - (upstream?.sentAt ?? ctx.startedAt)),
              errorCode: outcome.errorCode,
              upstreamRequestId: upstream?.upstreamRequestId ?? null,
            },
          ]
        : [],
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
