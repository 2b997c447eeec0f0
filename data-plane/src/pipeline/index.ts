import { authenticate } from './authenticate.ts'
import { authorizeModel } from './authorize-model.ts'
import { checkHops } from './check-hops.ts'
import type { RequestContext } from './context.ts'
import { execute } from './execute.ts'
import { parseBody } from './parse-body.ts'
import { resolveTarget } from './resolve-target.ts'
import { translate } from './translate.ts'

// THE ORDER of the request pipeline. Each stage enriches ctx or throws a GatewayError; no
// stage calls the next.
//
//   0. check-hops       the inbound x-gw-hop count: a request loop → 508
//   1. authenticate     x-api-key (Anthropic) or Authorization: Bearer → ctx.key (401)
//      0 and 1 run in the route's onRequest hook (routes/gateway-endpoint.ts), from the headers
//      alone, BEFORE the body is read: an unauthenticated caller never gets a body read.
//   2. parse-body       JSON body → ctx.body, requestedModel, stream, usage ask  (400)
//   3. authorize-model  the key's allowedModels                                  (403)
//   4. resolve-target   <connection>/<model> in the key's team → ctx.target      (404, 400 unsupported
//                       type, 400 other API family without a translator)
//      (later: rate limit, budget reservation, route alias + strategy, cache lookup)
//   5. translate        other API family only: client body → canonical            (400 untranslatable)
//                       → ctx.translation, ctx.degraded (same family: skipped, passthrough)
//   6. execute          adapter builds the request, upstream/client sends it     (502, 504)
//                       → ctx.upstream (status + headers)
// Then the route relays the answer (relay/json.ts or relay/stream.ts; relay/passthrough.ts for
// the same family, relay/translated.ts across families), and after the response has finished:
//   7. meter            one RequestLogEvent to the LogEmitter (never blocks the response)
//
// A stage is synchronous unless it has I/O to wait for (execute; later the limiter, budget and
// cache in Redis): only a stage that returns a promise is awaited, so the pure stages cost no
// microtask hop.
export type Stage = (ctx: RequestContext) => void | Promise<void>

/** Before the body: run from the headers alone (the route's onRequest hook). */
export const HEAD_STAGES: readonly ((ctx: RequestContext) => void)[] = [checkHops, authenticate]

/** Once the body is in. */
export const STAGES: readonly Stage[] = [parseBody, authorizeModel, resolveTarget, translate, execute]

/** Runs `stages` in order; resolves when the last has finished (or rejects with the first error). */
export async function runStages(ctx: RequestContext, stages: readonly Stage[]): Promise<void> {
  for (const stage of stages) {
    const pending = stage(ctx)
    if (pending) await pending
  }
}

export function runPipeline(ctx: RequestContext): Promise<void> {
  return runStages(ctx, STAGES)
}
