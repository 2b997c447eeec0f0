import { describe, expect, it } from 'vitest'
import { unsafeRegexReason } from './plan-condition.ts'
import { PLAN_BOUNDS, planConnections, type PlanNode } from './plan.ts'
import { parseRoutePlan } from './route.ts'

const t = (model: string, extra: Record<string, unknown> = {}) => ({ type: 'target', model, ...extra })
const a = t('openai/gpt-4o-mini')
const b = t('anthropic/claude-3-5-haiku')

function issuesOf(raw: unknown) {
  const result = parseRoutePlan(raw)
  if (result.success) throw new Error(`expected ${JSON.stringify(raw)} to be refused`)
  return result.issues
}

function accepts(raw: unknown): PlanNode {
  const result = parseRoutePlan(raw)
  if (!result.success) throw new Error(`refused: ${JSON.stringify(result.issues)}`)
  return result.data
}

const VALID: Record<string, unknown> = {
  target: t('openrouter/meta-llama/llama-3.1-8b', { params: { temperature: 0.2, max_tokens: 200 } }),
  fallback: { type: 'fallback', children: [a, b], on: ['rate_limited', 'context_length'] },
  weighted: { type: 'weighted', children: [{ ...a, weight: 3 }, b] },
  race: { type: 'race', children: [a, b] },
  hedge: { type: 'hedge', delayMs: 'p90', children: [a, b] },
  'lowest-latency': { type: 'lowest-latency', children: [a, b] },
  'lowest-cost': { type: 'lowest-cost', children: [a, b] },
  conditional: {
    type: 'conditional',
    rules: [
      { when: { 'header.x-tier': { eq: 'gold' } }, then: a },
      { when: { and: [{ user: { exists: true } }, { not: { 'body.temperature': { gt: 1 } } }] }, then: b },
      { when: { or: [{ 'metadata.env': { in: ['prod', 'staging'] } }, { 'key.name': { regex: '^batch-' } }] }, then: b },
    ],
    default: a,
  },
}

describe('route plan schema', () => {
  it.each(Object.entries(VALID))('accepts a %s node and round-trips it through JSON unchanged', (_type, plan) => {
    const parsed = accepts(plan)
    expect(parsed).toEqual(plan)
    expect(accepts(JSON.parse(JSON.stringify(parsed)))).toEqual(parsed)
  })

  it('accepts retries, timeouts and a deadline on any node', () => {
    accepts({ type: 'fallback', retries: 2, deadlineMs: 30_000, timeouts: { connectMs: 2000, firstTokenMs: 8000, idleMs: 5000, totalMs: 60_000 }, children: [{ ...a, retries: 1 }] })
  })

  const INVALID: [string, unknown, string][] = [
    ['an unknown node type', { type: 'cheapest', children: [a] }, 'type'],
    ['a target without a connection', t('gpt-4o'), 'model'],
    ['a target with a bad connection name', t('Open AI/gpt-4o'), 'model'],
    ['a target overriding the model', t('openai/gpt-4o', { params: { model: 'x' } }), 'params'],
    ['a target steering the upstream (G-SEC-02)', t('openai/gpt-4o', { params: { base_url: 'http://169.254.169.254' } }), 'params'],
    ['an unknown field (typo)', { ...a, retry: 2 }, ''],
    ['a fallback with no children', { type: 'fallback', children: [] }, 'children'],
    ['a fallback with an unknown error kind', { type: 'fallback', children: [a], on: ['bad_request'] }, 'on.0'],
    ['a fallback listing a kind twice', { type: 'fallback', children: [a], on: ['timeout', 'timeout'] }, 'on'],
    ['a weighted child with weight 0', { type: 'weighted', children: [{ ...a, weight: 0 }] }, 'children.0.weight'],
    ['a negative weight', { type: 'weighted', children: [{ ...a, weight: -1 }] }, 'children.0.weight'],
    ['a weight outside a weighted node', { type: 'fallback', children: [{ ...a, weight: 2 }] }, 'children.0.weight'],
    ['a race of one', { type: 'race', children: [a] }, 'children'],
    ['a hedge with a bad delay', { type: 'hedge', delayMs: 'p50', children: [a, b] }, 'delayMs'],
    ['a hedge without a delay', { type: 'hedge', children: [a, b] }, 'delayMs'],
    ['a conditional without default', { type: 'conditional', rules: [{ when: { user: { exists: true } }, then: a }] }, 'default'],
    ['a conditional without rules', { type: 'conditional', rules: [], default: a }, 'rules'],
    ['an unknown condition field', { type: 'conditional', rules: [{ when: { cookie: { eq: 'x' } }, then: a }], default: a }, 'rules.0.when.cookie'],
    ['an unknown operator', { type: 'conditional', rules: [{ when: { user: { like: 'x' } }, then: a }], default: a }, 'rules.0.when.user'],
    ['two operators in one test', { type: 'conditional', rules: [{ when: { user: { eq: 'a', ne: 'b' } }, then: a }], default: a }, 'rules.0.when.user'],
    ['two keys in one condition', { type: 'conditional', rules: [{ when: { user: { eq: 'a' }, 'key.id': { eq: 'b' } }, then: a }], default: a }, 'rules.0.when'],
    ['gt with a string', { type: 'conditional', rules: [{ when: { 'body.temperature': { gt: 'hot' } }, then: a }], default: a }, 'rules.0.when.body.temperature.gt'],
    ['a nested bad condition', { type: 'conditional', rules: [{ when: { and: [{ user: { exists: true } }, { not: { 'header.x': { regex: '(a+)+$' } } }] }, then: a }], default: a }, 'rules.0.when.and.1.not.header.x.regex'],
    ['a bad target inside a rule', { type: 'conditional', rules: [{ when: { user: { exists: true } }, then: t('nope') }], default: a }, 'rules.0.then.model'],
    ['retries above the bound', { ...a, retries: 6 }, 'retries'],
    ['a zero timeout', { ...a, timeouts: { connectMs: 0 } }, 'timeouts.connectMs'],
    ['a timeout beyond the bound', { ...a, timeouts: { totalMs: PLAN_BOUNDS.maxTimeoutMs + 1 } }, 'timeouts.totalMs'],
    ['a deep bad field', { type: 'fallback', children: [a, { type: 'race', children: [a, t('openai/')] }] }, 'children.1.children.1.model'],
  ]

  it.each(INVALID)('refuses %s, naming the JSON path of the bad field', (_name, plan, path) => {
    expect(issuesOf(plan).map((i) => i.path)).toContain(path)
  })

  it('bounds the depth of strategies', () => {
    let plan: unknown = a
    for (let i = 0; i < PLAN_BOUNDS.maxDepth - 1; i++) plan = { type: 'fallback', children: [plan] }
    accepts(plan)
    const deeper = { type: 'fallback', children: [plan] }
    expect(issuesOf(deeper)[0]?.message).toMatch(/at most 8 levels/)
  })

  it('bounds children per node and targets per plan', () => {
    expect(issuesOf({ type: 'fallback', children: Array(PLAN_BOUNDS.maxChildren + 1).fill(a) }).map((i) => i.path)).toContain('children')
    const sixteen = { type: 'fallback', children: Array(16).fill(a) }
    accepts({ type: 'fallback', children: Array(4).fill(sixteen) })
    expect(issuesOf({ type: 'fallback', children: Array(5).fill(sixteen) })[0]?.message).toMatch(/at most 64 targets/)
  })

  it('refuses a plan over the byte limit and hostile nesting before parsing it', () => {
    expect(issuesOf(t('openai/gpt', { params: { blob: 'x'.repeat(PLAN_BOUNDS.maxBytes) } }))[0]?.message).toMatch(/bytes/)
    let deep: unknown = a
    for (let i = 0; i < 100_000; i++) deep = { type: 'fallback', children: [deep] }
    // Far past the byte limit; a shallower-than-bytes but deep JSON must be caught by nesting.
    expect(issuesOf(deep)).toHaveLength(1)
    let nested: unknown = 1
    for (let i = 0; i < 200; i++) nested = [nested]
    expect(issuesOf(t('openai/gpt', { params: { x: nested } }))[0]?.message).toMatch(/nests JSON/)
  })

  it('lists the connections a plan names', () => {
    expect(planConnections(accepts(VALID.conditional)).sort()).toEqual(['anthropic', 'openai'])
  })
})

describe('condition regexes', () => {
  it.each(['^gold$', '^(gold|silver)$', '^batch-[0-9]+', '(?:ab)?c', '^[(*+)]+$', '\\d{3}-\\d{4}'])('accepts %s', (pattern) => {
    expect(unsafeRegexReason(pattern)).toBeNull()
  })

  it.each(['(a+)+$', '(a|aa)*', '(x*){2,}', '((ab)*c)+', '(a)\\1', '(', 'a'.repeat(300)])('refuses %s', (pattern) => {
    expect(unsafeRegexReason(pattern)).not.toBeNull()
  })
})
