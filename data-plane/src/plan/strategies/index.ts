import type { Strategy } from '../strategy.ts'
import type { PlanNode, ResolvedNode } from '../types.ts'
import { targetStrategy } from './target.ts'

// Plan node type → strategy. Adding a node type (fallback, weighted, race, hedge, …) is a file
// here plus one line; the compiler insists every node type of CONTRACT.md's PlanNode is listed.
export const strategies = {
  target: targetStrategy,
} satisfies { [T in PlanNode['type']]: Strategy<Extract<ResolvedNode, { type: T }>> }
