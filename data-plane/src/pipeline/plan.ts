import { GatewayError } from '../errors.ts'
import type { ResolvedTarget, TargetNode } from '../plan/types.ts'
import type { RequestContext, Target } from './context.ts'
import type { EndpointOperation } from './operation.ts'
import { resolveTarget } from './resolve-target.ts'

// 5. The model string → ctx.plan (CONTRACT.md §Routes' node tree). A `<connection>/<model>`
// string is a plan of one `target` node; later a string naming no connection is a route alias,
// whose stored plan is used instead. Every target of the plan is resolved here (connection,
// adapter, and how it serves the endpoint: the operation's `serve`), so what cannot be served
// is refused before anything goes upstream and the executor needs no lookups. An operation
// without a model (the models listing) plans a local answer.

function unsupported(target: Target, operation: EndpointOperation): GatewayError {
  const { name, type } = target.provider
  return new GatewayError(
    'SY_ERR_PROVIDER_UNSUPPORTED',
    `${operation.label} is not supported for provider connection '${name}' (type '${type}'). ${operation.unsupportedHint}`,
    { param: 'model' },
  )
}

function resolveNode(ctx: RequestContext, node: TargetNode): ResolvedTarget {
  const target = resolveTarget(ctx, node.model)
  const serving = ctx.operation.serve(target, ctx.dialect)
  if (!serving) throw unsupported(target, ctx.operation)
  return { type: 'target', node, target, serving }
}

export function planRequest(ctx: RequestContext): void {
  const { operation } = ctx
  if (operation.local) {
    ctx.plan = { kind: 'local', answer: operation.local }
    return
  }
  const root = resolveNode(ctx, { type: 'target', model: ctx.requestedModel ?? '' })
  ctx.plan = { kind: 'nodes', root }
  // The first choice names the answer until an attempt serves (an error before any attempt carries it).
  ctx.target = root.target
}
