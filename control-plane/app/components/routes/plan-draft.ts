// The route editor's draft: a plan as plain JSON that may be invalid while someone edits it.
// Pure helpers only (no React), shared by the tree editor and the JSON box.

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json }
export type Draft = { [key: string]: Json }
export type Path = (string | number)[]

export const STRATEGY_TYPES = ['fallback', 'weighted', 'race', 'hedge', 'lowest-latency', 'lowest-cost', 'conditional'] as const
export const NODE_TYPES = ['target', ...STRATEGY_TYPES] as const

export const NODE_TYPE_LABELS: Record<(typeof NODE_TYPES)[number], string> = {
  target: 'Target (one model)',
  fallback: 'Fallback (next on error)',
  weighted: 'Weighted split',
  race: 'Race (first answer wins)',
  hedge: 'Hedge (second after a delay)',
  'lowest-latency': 'Lowest latency',
  'lowest-cost': 'Lowest cost',
  conditional: 'Conditional (rules)',
}

export function isDraft(value: unknown): value is Draft {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

export function pathKey(path: Path): string {
  return path.map(String).join('.')
}

/** A readable name for a node's position, used in control labels ("root", "children.1"). */
export function pathLabel(path: Path): string {
  return path.length === 0 ? 'root' : pathKey(path)
}

export function pretty(value: unknown): string {
  return JSON.stringify(value, null, 2)
}

export function newTarget(connection: string | undefined): Draft {
  return { type: 'target', model: `${connection ?? ''}/` }
}

/** Changes a node's type, keeping what carries over (children, limits). */
export function convertNode(node: Draft, type: string, connection: string | undefined): Draft {
  const { retries, timeouts, deadlineMs, weight } = node
  const kept: Draft = {}
  for (const [k, v] of Object.entries({ retries, timeouts, deadlineMs, weight })) if (v !== undefined) kept[k] = v
  if (type === 'target') return { ...newTarget(connection), ...kept }
  if (type === 'conditional') {
    const first = Array.isArray(node.children) && isDraft(node.children[0]) ? node.children[0] : newTarget(connection)
    return { type, rules: [{ when: { 'header.x-tier': { eq: 'gold' } }, then: first }], default: newTarget(connection), ...kept }
  }
  if (node.type === 'target') {
    // The target becomes the strategy's first child; only its weight stays with its position.
    const child = Object.fromEntries(Object.entries(node).filter(([k]) => k !== 'weight')) as Draft
    return { type, children: [child], ...(type === 'hedge' ? { delayMs: 200 } : {}), ...(weight === undefined ? {} : { weight }) }
  }
  const children: Json[] = Array.isArray(node.children) ? node.children : [newTarget(connection)]
  return { type, children, ...(type === 'hedge' ? { delayMs: 200 } : {}), ...kept }
}

/** A copy of `root` with the value at `path` replaced (undefined removes an object key). */
export function setAt(root: Json, path: Path, value: Json | undefined): Json {
  if (path.length === 0) return value ?? null
  const [head, ...rest] = path
  if (Array.isArray(root)) {
    const copy = [...root]
    const index = Number(head)
    if (value === undefined && rest.length === 0) copy.splice(index, 1)
    else copy[index] = setAt(copy[index] ?? null, rest, value)
    return copy
  }
  const object: Draft = isDraft(root) ? { ...root } : {}
  const key = String(head)
  if (value === undefined && rest.length === 0) delete object[key]
  else object[key] = setAt(object[key] ?? null, rest, value)
  return object
}

export function getAt(root: Json, path: Path): Json | undefined {
  let current: Json | undefined = root
  for (const key of path) {
    if (Array.isArray(current)) current = current[Number(key)]
    else if (isDraft(current)) current = current[String(key)]
    else return undefined
  }
  return current
}

/** A number input's value: empty → absent; otherwise the number (NaN stays a string so the schema names it). */
export function numberOrAbsent(text: string): Json | undefined {
  if (text.trim() === '') return undefined
  const n = Number(text)
  return Number.isFinite(n) ? n : text
}

/** A condition value typed in a box: JSON when it parses (numbers, booleans, null), else the text. */
export function conditionValue(text: string): Json {
  try {
    const parsed = JSON.parse(text) as Json
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? text : parsed
  } catch {
    return text
  }
}

export function conditionText(value: Json | undefined): string {
  if (value === undefined) return ''
  return typeof value === 'string' ? value : JSON.stringify(value)
}

export interface DiffLine {
  kind: 'same' | 'added' | 'removed'
  text: string
}

/** A line diff (longest common subsequence) of two texts: plenty for plans of a few hundred lines. */
export function lineDiff(before: string, after: string): DiffLine[] {
  const a = before.split('\n')
  const b = after.split('\n')
  const lcs: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0))
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!)
  }
  const out: DiffLine[] = []
  let i = 0
  let j = 0
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      out.push({ kind: 'same', text: a[i]! })
      i++
      j++
    } else if (i < a.length && (j === b.length || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) {
      // Removals before additions, as diff(1) prints them.
      out.push({ kind: 'removed', text: a[i++]! })
    } else {
      out.push({ kind: 'added', text: b[j++]! })
    }
  }
  return out
}
