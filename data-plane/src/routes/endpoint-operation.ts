import type { ClientDialect } from '../dialects/types.ts'
import { GatewayError } from '../errors.ts'
import { authorizeModel } from '../pipeline/authorize-model.ts'
import type { RequestContext, Target } from '../pipeline/context.ts'
import { execute } from '../pipeline/execute.ts'
import { runStages, type Stage } from '../pipeline/index.ts'
import { parseBody } from '../pipeline/parse-body.ts'
import { resolveTarget } from '../pipeline/resolve-target.ts'
import { translateWith } from '../pipeline/translate.ts'
import type { EndpointCapability, ProviderAdapter } from '../providers/types.ts'
import type { Relaying, StreamPipe } from '../relay/relaying.ts'

// Endpoints beyond chat (embeddings, responses, count_tokens) run the same pipeline stages 0–4
// (check-hops, authenticate, parse-body, authorize-model, resolve-target: see pipeline/index.ts), then the
// endpoint's operation decides how the resolved connection serves it:
//   - the adapter's capability for it (providers/types.ts EndpointCapability): passthrough, sent
//     by stage 6 (execute) through an adapter view whose chat methods are the capability's, and
//     relayed by relay/passthrough.ts (the stream pipe optionally decorated, e.g. the Responses
//     API's own in-band error event);
//   - a local answer (no upstream call, e.g. a token-count estimate);
//   - translation through a client dialect of its own (the Responses API for connections that
//     do not serve it): stage 5 with that dialect (pipeline/translate.ts translateWith), then
//     stage 6, relayed by relay/translated.ts like any cross-family chat request;
//   - none: a 400 naming the unsupported combination, before anything goes upstream.

export interface LocalAnswer {
  status: number
  body: unknown
  headers: Record<string, string>
}

export type OperationPlan =
  | { kind: 'upstream'; capability: EndpointCapability; decorate?: (pipe: StreamPipe) => StreamPipe }
  | { kind: 'local'; answer: (ctx: RequestContext) => LocalAnswer | Promise<LocalAnswer> }
  | { kind: 'translate'; client: ClientDialect }

export interface EndpointOperation {
  /** How the endpoint is named in error messages (`POST /v1/embeddings`). */
  label: string
  plan(target: Target): OperationPlan | null
  /** Appended to the 400 for a connection the operation cannot serve (what to do instead). */
  unsupportedHint: string
}

const STAGES: readonly Stage[] = [parseBody, authorizeModel, resolveTarget]

function unsupported(target: Target, operation: EndpointOperation): GatewayError {
  const { name, type } = target.provider
  return new GatewayError(
    'SY_ERR_PROVIDER_UNSUPPORTED',
    `${operation.label} is not supported for provider connection '${name}' (type '${type}'). ${operation.unsupportedHint}`,
    { param: 'model' },
  )
}

/** An adapter that serves `capability` through the chat code paths (execute, passthrough relay). */
function adapterView(adapter: ProviderAdapter, capability: EndpointCapability): ProviderAdapter {
  return {
    wire: adapter.wire,
    requestIdHeader: adapter.requestIdHeader,
    errorKinds: adapter.errorKinds,
    buildChatRequest: capability.buildRequest,
    readResponse: capability.readResponse,
    createStreamReader: capability.createStreamReader ?? adapter.createStreamReader,
  }
}

/** Stages 2–4 (0–1 ran before the body: routes/gateway-endpoint.ts), the operation's plan, then stage 6 for upstream plans (after stage 5 for translate plans). */
export async function runOperationPipeline(ctx: RequestContext, operation: EndpointOperation): Promise<OperationPlan> {
  await runStages(ctx, STAGES)
  const target = ctx.target
  if (!target) throw new GatewayError('SY_ERR_INTERNAL', 'pipeline order violated: no target after resolve-target')
  const plan = operation.plan(target)
  if (!plan) throw unsupported(target, operation)
  if (plan.kind === 'upstream') {
    ctx.target = { ...target, adapter: adapterView(target.adapter, plan.capability) }
    await execute(ctx)
  }
  if (plan.kind === 'translate') {
    if (!target.adapter.translator || !ctx.body) throw new GatewayError('SY_ERR_INTERNAL', 'translate plan for an adapter without a translator')
    translateWith(ctx, plan.client, ctx.body)
    await execute(ctx)
  }
  return plan
}

/** The passthrough relaying with the operation's stream decoration applied. */
export function decorated(relaying: Relaying, decorate: ((pipe: StreamPipe) => StreamPipe) | undefined): Relaying {
  if (!decorate) return relaying
  return { whole: (status, bytes, contentType) => relaying.whole(status, bytes, contentType), stream: () => decorate(relaying.stream()) }
}
