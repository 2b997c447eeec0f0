import { authenticate } from './authenticate.ts'
import { authorizeModel } from './authorize-model.ts'
import { checkHops } from './check-hops.ts'
import type { RequestContext } from './context.ts'
import { executePlan, settleOpenAttempts } from '../plan/executor.ts'
import { meterRequest } from './meter.ts'
import { parseBody } from './parse-body.ts'
import { planRequest } from './plan.ts'
import type { Finished, Stage } from './stage.ts'

// THE ORDER of the request pipeline, for every endpoint (chat, messages, responses, embeddings,
// count_tokens, models): the endpoint's operation is an input (ctx.operation,
// pipeline/operation.ts), never a list of its own, so a stage added here runs for all of them.
//
//   0. check-hops       the inbound x-gw-hop count: a request loop → 508
//   1. authenticate     x-api-key (Anthropic) or Authorization: Bearer → ctx.key (401)
//   2. meter            after: one RequestLogEvent to the LogEmitter (never blocks the response)
//      0–2 are head stages: they run in the route's onRequest hook (routes/gateway-endpoint.ts),
//      from the headers alone, BEFORE the body is read: an unauthenticated caller never gets a
//      body read. The meter comes after authenticate: a request without a key is not logged.
//   3. parse-body       JSON body → ctx.body, requestedModel, stream, usage ask (400); skipped by
//                       an operation without a body (the models listing)
//   4. authorize-model  the key's allowedModels                                  (403)
//   5. plan             the model string → ctx.plan: a `target` node resolved to the team's
//                       connection, and how it serves the endpoint (the operation) (404; 400
//                       unsupported type or endpoint); or a local answer (the models listing)
//      (later: rate limit, budget reservation, route alias → the route's plan, cache lookup)
//   6. execute          the executor runs the plan (plan/executor.ts, a strategy per node type);
//                       each attempt: translate (other family: 400 untranslatable), the adapter
//                       builds the request, upstream/client sends it (502, 504), a stream is
//                       read up to its first content event (relay/stream.ts open) → ctx.attempts,
//                       ctx.served. after: an attempt still open when the request ends is closed
//                       (cancelled when the client left).
// Then the route answers with ctx.served: a local answer, a whole upstream answer (relay/json.ts),
// or the opened stream pumped to the client (relay/stream.ts pump); relay/passthrough.ts for the
// same family, relay/translated.ts across families.
//
// finish(): the one finish point. Called exactly once per request (a flag guards it) by the
// response's close (whole answers, local answers, errors, a client that left before a stream
// started) or by the stream relay when a started stream is over; runs the after-halves of the
// stages that started, in reverse order.
export const STAGES = [
  { name: 'check-hops', head: true, run: checkHops },
  { name: 'authenticate', head: true, run: authenticate },
  { name: 'meter', head: true, after: meterRequest },
  { name: 'parse-body', run: parseBody },
  { name: 'authorize-model', run: authorizeModel },
  { name: 'plan', run: planRequest },
  { name: 'execute', run: executePlan, after: settleOpenAttempts },
] as const satisfies readonly Stage[]

const LIST: readonly Stage[] = STAGES
const HEAD_COUNT = LIST.findIndex((stage) => !stage.head)

/** The head stages (synchronous, from the headers alone: the route's onRequest hook). Throws the first error. */
export function runHeadStages(ctx: RequestContext): void {
  for (let i = 0; i < HEAD_COUNT; i++) {
    ctx.stagesEntered = i + 1
    ;(LIST[i] as Stage).run?.(ctx) as void
  }
}

/** The stages after the body is in; resolves when the last has finished (or rejects with the first error). */
export async function runBodyStages(ctx: RequestContext): Promise<void> {
  for (let i = HEAD_COUNT; i < LIST.length; i++) {
    ctx.stagesEntered = i + 1
    const pending = (LIST[i] as Stage).run?.(ctx)
    if (pending) await pending
  }
}

/** The one finish point: the after-halves of the stages that started, in reverse order, once. */
export function finish(ctx: RequestContext, finished: Finished): void {
  if (ctx.finished) return
  ctx.finished = true
  for (let i = ctx.stagesEntered - 1; i >= 0; i--) {
    const after = (LIST[i] as Stage).after
    if (!after) continue
    try {
      after(ctx, finished)
    } catch (err) {
      ctx.reportError(err, `after-half of stage ${(LIST[i] as Stage).name} failed`)
    }
  }
}
