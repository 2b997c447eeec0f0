import { z } from 'zod'
import { ERROR_KINDS, type ErrorKind } from '../error-kinds.ts'
import { Condition, MAX_CONDITION_ITEMS } from './plan-condition.ts'
import { CONNECTION_NAME_REGEX } from './provider-types.ts'

// A route's plan (CONTRACT.md §Routes): a tree of strategy nodes whose leaves are targets.
// Validated here once, by the admin API, the console (in the browser: this module imports
// neither node:crypto nor anything server-only) and the snapshot compiler; the data plane
// reads it from the snapshot. Bounds are part of the schema because plans are hostile input.

export const ROUTE_ALIAS_REGEX = /^[a-z0-9][a-z0-9._-]{0,62}$/

export const PLAN_BOUNDS = {
  /** Strategy nodes nested in one another (a lone target is depth 1). */
  maxDepth: 8,
  maxChildren: 16,
  maxTargets: 64,
  /** The plan as JSON, in UTF-8 bytes. */
  maxBytes: 64 * 1024,
  /** JSON nesting (objects and arrays) of the raw input, checked before parsing. */
  maxJsonDepth: 64,
  maxRetries: 5,
  maxTimeoutMs: 900_000,
  maxHedgeDelayMs: 60_000,
  maxWeight: 1_000_000,
} as const

export { ERROR_KINDS, type ErrorKind }

/** What a `fallback` without `on` moves on for: never a caller's 4xx, nor context_length/content_filter. */
export const DEFAULT_FALLBACK_ON: readonly ErrorKind[] = ['connection', 'timeout', 'rate_limited', 'server_error', 'overloaded', 'stream_error']

const Millis = z.number().int().min(1).max(PLAN_BOUNDS.maxTimeoutMs)

export const PlanTimeouts = z.strictObject({
  connectMs: Millis.optional(),
  firstTokenMs: Millis.optional(),
  /** Longest silence between two stream chunks. */
  idleMs: Millis.optional(),
  /** One attempt, start to last byte. */
  totalMs: Millis.optional(),
})

/** Fields any node may carry. `weight` only means something on a child of a `weighted` node. */
const common = {
  retries: z.number().int().min(0).max(PLAN_BOUNDS.maxRetries).optional(),
  timeouts: PlanTimeouts.optional(),
  /** One deadline for everything under this node together: attempts, retries and fallbacks. */
  deadlineMs: Millis.optional(),
  weight: z.number().positive().max(PLAN_BOUNDS.maxWeight).optional(),
}

/**
 * Request fields a target may not override: the caller's request itself, and anything that
 * could steer where the request goes or with which credential (G-SEC-02).
 */
const RESERVED_PARAMS = ['model', 'messages', 'input', 'stream', 'prompt', 'api_base', 'base_url', 'custom_host', 'api_key', 'organization', 'headers']

export const TargetModel = z
  .string()
  .max(320)
  .refine((model) => {
    const slash = model.indexOf('/')
    return slash > 0 && CONNECTION_NAME_REGEX.test(model.slice(0, slash)) && model.length > slash + 1
  }, 'expected "<connection>/<model>", e.g. "openai/gpt-4o-mini"')

export const TargetNode = z.strictObject({
  type: z.literal('target'),
  model: TargetModel,
  params: z
    .record(z.string().max(64), z.json())
    .refine((params) => !RESERVED_PARAMS.some((k) => k in params), `params may not override ${RESERVED_PARAMS.join(', ')}`)
    .optional(),
  ...common,
})

const children = () => z.array(PlanNode).min(1).max(PLAN_BOUNDS.maxChildren)
const rivals = () => z.array(PlanNode).min(2, 'needs at least 2 children').max(PLAN_BOUNDS.maxChildren)

export const FallbackNode = z.strictObject({
  type: z.literal('fallback'),
  get children() {
    return children()
  },
  on: z
    .array(z.enum(ERROR_KINDS))
    .min(1)
    .refine((kinds) => new Set(kinds).size === kinds.length, 'each error kind at most once')
    .optional(),
  ...common,
})

export const WeightedNode = z.strictObject({
  type: z.literal('weighted'),
  get children() {
    return children()
  },
  ...common,
})

export const RaceNode = z.strictObject({
  type: z.literal('race'),
  get children() {
    return rivals()
  },
  ...common,
})

export const HedgeNode = z.strictObject({
  type: z.literal('hedge'),
  delayMs: z.union([z.number().int().min(0).max(PLAN_BOUNDS.maxHedgeDelayMs), z.literal('p90')], {
    error: `delayMs is a number of milliseconds (0–${PLAN_BOUNDS.maxHedgeDelayMs}) or "p90"`,
  }),
  get children() {
    return rivals()
  },
  ...common,
})

export const LowestLatencyNode = z.strictObject({
  type: z.literal('lowest-latency'),
  get children() {
    return children()
  },
  ...common,
})

export const LowestCostNode = z.strictObject({
  type: z.literal('lowest-cost'),
  get children() {
    return children()
  },
  ...common,
})

export const ConditionalRule = z.strictObject({
  when: Condition,
  get then() {
    return PlanNode
  },
})

export const ConditionalNode = z.strictObject({
  type: z.literal('conditional'),
  get rules() {
    return z.array(ConditionalRule).min(1).max(MAX_CONDITION_ITEMS)
  },
  get default() {
    return PlanNode
  },
  ...common,
})

export type TargetNode = z.infer<typeof TargetNode>
export type PlanTimeouts = z.infer<typeof PlanTimeouts>
type Common = Omit<TargetNode, 'type' | 'model' | 'params'>
export type PlanNode =
  | TargetNode
  | (Common & { type: 'fallback'; children: PlanNode[]; on?: ErrorKind[] | undefined })
  | (Common & { type: 'weighted' | 'race' | 'lowest-latency' | 'lowest-cost'; children: PlanNode[] })
  | (Common & { type: 'hedge'; delayMs: number | 'p90'; children: PlanNode[] })
  | (Common & { type: 'conditional'; rules: { when: Condition; then: PlanNode }[]; default: PlanNode })
export type PlanNodeType = PlanNode['type']

export const PlanNode: z.ZodType<PlanNode> = z.discriminatedUnion('type', [
  TargetNode,
  FallbackNode,
  WeightedNode,
  RaceNode,
  HedgeNode,
  LowestLatencyNode,
  LowestCostNode,
  ConditionalNode,
]) as z.ZodType<PlanNode>

export const PLAN_NODE_TYPES = ['target', 'fallback', 'weighted', 'race', 'hedge', 'lowest-latency', 'lowest-cost', 'conditional'] as const

/** The children of a node with their JSON paths relative to it (conditional: each rule's `then`, then `default`). */
export function childrenOf(node: PlanNode): { node: PlanNode; path: (string | number)[] }[] {
  if (node.type === 'target') return []
  if (node.type === 'conditional') {
    return [...node.rules.map((rule, i) => ({ node: rule.then, path: ['rules', i, 'then'] })), { node: node.default, path: ['default'] }]
  }
  return node.children.map((child, i) => ({ node: child, path: ['children', i] }))
}

/** Every target of a plan, with its JSON path. */
export function planTargets(plan: PlanNode): { model: string; path: (string | number)[] }[] {
  const found: { model: string; path: (string | number)[] }[] = []
  const stack: { node: PlanNode; path: (string | number)[] }[] = [{ node: plan, path: [] }]
  while (stack.length > 0) {
    const { node, path } = stack.pop()!
    if (node.type === 'target') found.push({ model: node.model, path })
    for (const child of childrenOf(node).reverse()) stack.push({ node: child.node, path: [...path, ...child.path] })
  }
  return found
}

/** The connection names a plan's targets use. */
export function planConnections(plan: PlanNode): string[] {
  return [...new Set(planTargets(plan).map((t) => t.model.slice(0, t.model.indexOf('/'))))]
}
