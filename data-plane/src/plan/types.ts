import type { EndpointCapability } from '../providers/types.ts'
import type { ClientDialect } from '../dialects/types.ts'
import type { RequestContext, Target, UpstreamExchange } from '../pipeline/context.ts'
import type { Relaying, StreamPipe } from '../relay/relaying.ts'
import type { OpenedStream } from '../relay/stream.ts'
import type { LocalAnswer } from '../pipeline/local-answer.ts'

// A request's plan: CONTRACT.md §Routes' node tree. Only the `target` node exists so far; the
// other node types (fallback, weighted, race, hedge, lowest-latency, lowest-cost, conditional)
// are each one more member of PlanNode and one more strategy file (plan/strategies/).

export interface TargetNode {
  type: 'target'
  /** `<connection>/<model>`. */
  model: string
  /** Body overrides for this target (applied by a later issue; carried through already). */
  params?: Record<string, unknown>
}

export type PlanNode = TargetNode

/** How a resolved target serves the request's endpoint (the endpoint's operation decides: routes/endpoint-operation.ts). */
export type Serving =
  /** Same API family: the upstream's bytes (through an endpoint capability's request builder for endpoints beyond chat). */
  | { kind: 'passthrough'; capability?: EndpointCapability; decorate?: (pipe: StreamPipe) => StreamPipe }
  /** Across families: the body in this client dialect → canonical → the target's wire. */
  | { kind: 'translate'; client: ClientDialect }
  /** Answered without an upstream call (a token-count estimate for a connection that cannot count). */
  | { kind: 'local'; answer: LocalAnswerSource }

export type LocalAnswerSource = (ctx: RequestContext) => LocalAnswer | Promise<LocalAnswer>

/** A target node with its connection resolved and its serving decided (pipeline/plan.ts): executing it needs no more lookups. */
export interface ResolvedTarget {
  type: 'target'
  node: TargetNode
  target: Target
  serving: Serving
}

export type ResolvedNode = ResolvedTarget

/** What the plan stage produces: nodes to execute, or a local answer (the models listing; later a cache hit). */
export type Plan = { kind: 'nodes'; root: ResolvedNode } | { kind: 'local'; answer: LocalAnswerSource }

/** What the executor hands the route to answer with: one of these, from the attempt that served. */
export type Served =
  | { kind: 'local'; answer: LocalAnswer }
  /** A whole upstream answer (non-stream, or an error status): relay/json.ts reads and relays it. */
  | { kind: 'whole'; exchange: UpstreamExchange; relaying: Relaying }
  /** A stream read up to its first content event (or its opening error event): relay/stream.ts pumps the rest. */
  | { kind: 'stream'; exchange: UpstreamExchange; stream: OpenedStream }
