import type { RequestContext } from '../pipeline/context.ts'
import type { ResolvedNode, Served } from './types.ts'

// A strategy runs one node type of a plan (plan/strategies/, one file each, registered in
// plan/strategies/index.ts). It resolves with what serves the answer, or rejects with the error
// the client gets. A strategy with children runs them through `execution.run` (which records
// every attempt on the context) and decides between their outcomes by the attempts' error
// kinds (providers/error-kinds.ts).

export interface Execution {
  readonly ctx: RequestContext
  /** Runs a child node; `choice` is the index of the choice it stands for (0 = first choice). */
  run(node: ResolvedNode, choice: number): Promise<Served>
}

export interface Strategy<N extends ResolvedNode = ResolvedNode> {
  run(node: N, choice: number, execution: Execution): Promise<Served>
}
