import { GatewayError } from '../errors.ts'
import type { RequestContext } from '../pipeline/context.ts'
import type { Finished } from '../pipeline/stage.ts'
import type { Execution } from './strategy.ts'
import { strategies } from './strategies/index.ts'
import type { ResolvedNode, Served } from './types.ts'

// 6. execute: runs ctx.plan → ctx.served (the local answer, or the serving attempt's exchange),
// every attempt recorded on ctx.attempts. The after-half closes an attempt nobody ended (the
// request finished while it was still open: the client left, or the answer failed mid-way).

class PlanExecution implements Execution {
  constructor(readonly ctx: RequestContext) {}

  run(node: ResolvedNode, choice: number): Promise<Served> {
    return strategies[node.type].run(node, choice, this)
  }
}

export async function executePlan(ctx: RequestContext): Promise<void> {
  const plan = ctx.plan
  if (!plan) throw new GatewayError('SY_ERR_INTERNAL', 'pipeline order violated: execute before plan')
  if (plan.kind === 'local') {
    ctx.served = { kind: 'local', answer: await plan.answer(ctx) }
    return
  }
  ctx.served = await new PlanExecution(ctx).run(plan.root, 0)
}

export function settleOpenAttempts(ctx: RequestContext, finished: Finished): void {
  const cancelled = finished.clientGone || ctx.cancellation.cancelled
  for (const attempt of ctx.attempts) {
    if (attempt.ended) continue
    attempt.end(cancelled ? 'cancelled' : 'error', { errorCode: cancelled ? null : ctx.outcome.errorCode })
  }
}
