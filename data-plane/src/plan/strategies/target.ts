import { runAttempt } from '../attempt.ts'
import type { Strategy } from '../strategy.ts'
import type { ResolvedTarget } from '../types.ts'

// `{"type":"target","model":"<connection>/<model>"}`: one attempt at that target.
export const targetStrategy: Strategy<ResolvedTarget> = {
  run: (node, choice, execution) => runAttempt(execution.ctx, node, choice),
}
