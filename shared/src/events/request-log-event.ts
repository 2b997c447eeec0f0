import { z } from 'zod'
import { ERROR_KINDS, type ErrorKind } from '../error-kinds.ts'

// One event per request, emitted by the data plane after the response (never blocking it),
// carried by the `logs` stream, written to request_logs by the control plane's ingester.
// Rich enough for cost, attempts and sessions to slot in without a schema break.

export const REQUEST_OUTCOMES = ['success', 'error', 'incomplete', 'client_cancelled'] as const
export type RequestOutcome = (typeof REQUEST_OUTCOMES)[number]

export const Usage = z.object({
  promptTokens: z.number().int().nonnegative().nullable(),
  completionTokens: z.number().int().nonnegative().nullable(),
  totalTokens: z.number().int().nonnegative().nullable().default(null),
  cachedPromptTokens: z.number().int().nonnegative().nullable().default(null),
  reasoningTokens: z.number().int().nonnegative().nullable().default(null),
  /**
   * Some of it was counted by Switchyard, not reported by the provider: a stream the client
   * cancelled, or that broke, before the provider's usage arrived (CONTRACT.md §Cost
   * `costConfidence: "estimated"`). Absent when the provider reported it all.
   */
  estimated: z.literal(true).optional(),
})
export type Usage = z.infer<typeof Usage>

export { ERROR_KINDS, type ErrorKind }

/** How one attempt ended: `cancelled` for a race or hedge loser, or a client that left. */
export const ATTEMPT_OUTCOMES = ['success', 'error', 'cancelled'] as const
export type AttemptOutcome = (typeof ATTEMPT_OUTCOMES)[number]

/**
 * One upstream attempt, in start order. The members after `upstreamRequestId` came with plans
 * of attempts (CONTRACT.md §Routes); they default to null, so events written before them still
 * parse. Times are ISO datetimes; `firstByteAt` is when the upstream's response head arrived.
 */
export const Attempt = z.object({
  provider: z.string(),
  providerId: z.string().nullable().default(null),
  model: z.string(),
  status: z.number().int(),
  latencyMs: z.number().int().nonnegative(),
  errorCode: z.string().nullable().default(null),
  upstreamRequestId: z.string().nullable().default(null),
  startedAt: z.iso.datetime({ offset: true }).nullable().default(null),
  firstByteAt: z.iso.datetime({ offset: true }).nullable().default(null),
  endedAt: z.iso.datetime({ offset: true }).nullable().default(null),
  outcome: z.enum(ATTEMPT_OUTCOMES).nullable().default(null),
  errorKind: z.enum(ERROR_KINDS).nullable().default(null),
  usage: Usage.nullable().default(null),
})
export type Attempt = z.infer<typeof Attempt>

export const RequestLogEvent = z.object({
  eventVersion: z.literal(1).default(1),
  requestId: z.string().min(1),
  createdAt: z.iso.datetime({ offset: true }),
  teamId: z.string().min(1),
  virtualKeyId: z.string().nullable(),
  snapshotVersion: z.number().int().nullable().default(null),
  endpoint: z.string(),
  /** The provider connection name and the model the provider reported (or was asked for). */
  provider: z.string().nullable(),
  model: z.string().nullable(),
  stream: z.boolean(),
  status: z.number().int(),
  outcome: z.enum(REQUEST_OUTCOMES),
  errorCode: z.string().nullable().default(null),
  latencyMs: z.number().int().nonnegative(),
  ttftMs: z.number().int().nonnegative().nullable().default(null),
  usage: Usage.nullable().default(null),
  /** Exact cost in USD as a decimal string (never a float), null until pricing is known. */
  costUsd: z.string().regex(/^\d+(\.\d+)?$/).nullable().default(null),
  cacheStatus: z.enum(['miss', 'hit', 'bypass']).default('bypass'),
  attempts: z.array(Attempt).default([]),
  metadata: z.record(z.string(), z.string()).default({}),
})
export type RequestLogEvent = z.infer<typeof RequestLogEvent>
export type RequestLogEventInput = z.input<typeof RequestLogEvent>
