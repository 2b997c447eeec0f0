import { z } from 'zod'
import { childrenOf, PLAN_BOUNDS, PlanNode } from './plan.ts'

// A whole route plan (bounds that need the whole tree) and a route's cache settings, plus the
// one parse function every caller uses: it checks the raw input's size and nesting before zod
// sees it, so a hostile document cannot exhaust the stack.

/** Depth, target count and where `weight` may appear: rules about the tree, not one node. */
function checkTree(plan: PlanNode, ctx: z.RefinementCtx) {
  let targets = 0
  const stack: { node: PlanNode; path: (string | number)[]; depth: number; weighted: boolean }[] = [
    { node: plan, path: [], depth: 1, weighted: false },
  ]
  while (stack.length > 0) {
    const { node, path, depth, weighted } = stack.pop()!
    if (node.weight !== undefined && !weighted) {
      ctx.addIssue({ code: 'custom', path: [...path, 'weight'], message: 'weight only applies to a child of a "weighted" node' })
    }
    if (node.type === 'target') {
      targets++
      continue
    }
    if (depth >= PLAN_BOUNDS.maxDepth) {
      ctx.addIssue({ code: 'custom', path, message: `plans nest at most ${PLAN_BOUNDS.maxDepth} levels deep` })
      continue
    }
    for (const child of childrenOf(node)) {
      stack.push({ node: child.node, path: [...path, ...child.path], depth: depth + 1, weighted: node.type === 'weighted' })
    }
  }
  if (targets > PLAN_BOUNDS.maxTargets) ctx.addIssue({ code: 'custom', path: [], message: `a plan has at most ${PLAN_BOUNDS.maxTargets} targets (this one has ${targets})` })
}

export const RoutePlan = PlanNode.superRefine(checkTree)
export type RoutePlan = PlanNode

export const RouteCache = z.strictObject({
  mode: z.enum(['exact', 'semantic']),
  ttlSeconds: z.number().int().min(1).max(30 * 24 * 3600),
  /** Semantic mode: the similarity a cached answer needs (0–1). */
  threshold: z.number().min(0).max(1).optional(),
  /** Semantic mode: `<connection>/<model>` that embeds the prompt. */
  embeddingModel: z.string().min(3).max(320).optional(),
})
export type RouteCache = z.infer<typeof RouteCache>

export interface PlanIssue {
  /** Dotted JSON path from the plan's root (`children.1.model`); '' = the plan itself. */
  path: string
  message: string
}

/** The JSON nesting depth of a value, without recursion (stops counting past `limit`). */
export function jsonDepthExceeds(value: unknown, limit: number): boolean {
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 0 }]
  while (stack.length > 0) {
    const { value: v, depth } = stack.pop()!
    if (typeof v !== 'object' || v === null) continue
    if (depth + 1 > limit) return true
    for (const child of Object.values(v)) stack.push({ value: child, depth: depth + 1 })
  }
  return false
}

export function jsonByteLength(value: unknown): number {
  return new TextEncoder().encode(JSON.stringify(value) ?? '').length
}

export type PlanParseResult = { success: true; data: RoutePlan } | { success: false; issues: PlanIssue[] }

export function formatPath(path: readonly PropertyKey[]): string {
  return path.map(String).join('.')
}

/** Parses a plan from already-decoded JSON: size and nesting first, then the schema. */
export function parseRoutePlan(raw: unknown): PlanParseResult {
  // Nesting first: measuring the size serializes the value, which recurses.
  if (jsonDepthExceeds(raw, PLAN_BOUNDS.maxJsonDepth)) {
    return { success: false, issues: [{ path: '', message: `a plan nests JSON at most ${PLAN_BOUNDS.maxJsonDepth} levels deep` }] }
  }
  if (jsonByteLength(raw) > PLAN_BOUNDS.maxBytes) {
    return { success: false, issues: [{ path: '', message: `a plan is at most ${PLAN_BOUNDS.maxBytes} bytes of JSON` }] }
  }
  const result = RoutePlan.safeParse(raw)
  if (result.success) return { success: true, data: result.data }
  return { success: false, issues: result.error.issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message })) }
}

/** A route plan as an API body field: the raw guard runs first, then the schema. */
export const GuardedRoutePlan = z.unknown().transform((raw, ctx): RoutePlan => {
  const result = parseRoutePlan(raw)
  if (result.success) return result.data
  for (const issue of result.issues) {
    ctx.addIssue({ code: 'custom', path: issue.path === '' ? [] : issue.path.split('.'), message: issue.message })
  }
  return z.NEVER
})
