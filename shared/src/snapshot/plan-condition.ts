import { z } from 'zod'

// The `when` language of a conditional node (docs/routes.md). Small and total on purpose:
//   condition := {"and": [condition…]} | {"or": [condition…]} | {"not": condition}
//              | {"<field>": {"<operator>": value}}          (exactly one key at every level)
//   field     := header.<name> | metadata.<name> | key.id | key.name | user | body.<path>
//   operator  := eq ne (string | number | boolean | null), in nin (list of those),
//                gt lt (number), exists (boolean), regex (a safe pattern, see below)
// A field that is absent compares as missing: only `exists: false`, `ne` and `nin` hold for it.

export const MAX_CONDITION_ITEMS = 16
export const MAX_REGEX_LENGTH = 256

export const CONDITION_FIELD_REGEX =
  /^(header\.[a-z0-9][a-z0-9-]{0,63}|metadata\.[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}|key\.id|key\.name|user|body\.[A-Za-z_][A-Za-z0-9_]{0,63}(\.[A-Za-z0-9_]{1,64}){0,7})$/

const Scalar = z.union([z.string().max(1024), z.number(), z.boolean(), z.null()], {
  error: 'expected a string, number, boolean or null',
})

/**
 * Why a pattern is refused, or null. Conservative against catastrophic backtracking: a length
 * cap, no back-references, and no quantified group that itself contains a quantifier or an
 * alternation (`(a+)+`, `(a|aa)*`, `(x*){2,}`), which is where exponential blow-ups live.
 */
export function unsafeRegexReason(pattern: string): string | null {
  if (pattern.length > MAX_REGEX_LENGTH) return `a pattern is at most ${MAX_REGEX_LENGTH} characters`
  try {
    new RegExp(pattern)
  } catch {
    return 'not a valid regular expression'
  }
  // One entry per open group: whether it holds a quantifier or an alternation.
  const groups: boolean[] = []
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]
    if (c === '\\') {
      if (/[1-9k]/.test(pattern[i + 1] ?? '')) return 'back-references are not allowed'
      i++
      continue
    }
    if (c === '[') {
      // Skip a character class: quantifier characters inside it are literals.
      for (i++; i < pattern.length && pattern[i] !== ']'; i++) if (pattern[i] === '\\') i++
      continue
    }
    if (c === '(') {
      groups.push(false)
      // Skip a group's kind (`(?:`, `(?=`, `(?!`, `(?<=`, `(?<!`, `(?<name>`): not a quantifier.
      if (pattern[i + 1] === '?') {
        i += 2
        if (pattern[i] === '<' && pattern[i + 1] !== '=' && pattern[i + 1] !== '!') i = pattern.indexOf('>', i)
        else if (pattern[i] === '<') i++
      }
      continue
    }
    if (c === ')') {
      const inner = groups.pop() ?? false
      const next = pattern[i + 1]
      const repeated = next === '*' || next === '+' || next === '{'
      if (inner && repeated) return 'a repeated group may not contain a quantifier or an alternation (catastrophic backtracking)'
      if (groups.length > 0 && (inner || repeated || next === '?')) groups[groups.length - 1] = true
      continue
    }
    const marks = c === '*' || c === '+' || c === '?' || c === '{' || c === '|'
    if (marks && groups.length > 0) groups[groups.length - 1] = true
  }
  return null
}

const SafeRegex = z
  .string()
  .min(1)
  .superRefine((pattern, ctx) => {
    const reason = unsafeRegexReason(pattern)
    if (reason) ctx.addIssue({ code: 'custom', message: reason })
  })

export const OPERATORS = ['eq', 'ne', 'in', 'nin', 'gt', 'lt', 'exists', 'regex'] as const

export const FieldTest = z
  .strictObject({
    eq: Scalar.optional(),
    ne: Scalar.optional(),
    in: z.array(Scalar).min(1).max(64).optional(),
    nin: z.array(Scalar).min(1).max(64).optional(),
    gt: z.number().optional(),
    lt: z.number().optional(),
    exists: z.boolean().optional(),
    regex: SafeRegex.optional(),
  })
  .superRefine((test, ctx) => {
    const used = Object.keys(test)
    if (used.length !== 1) ctx.addIssue({ code: 'custom', message: `a field test has exactly one operator (${OPERATORS.join(', ')})` })
  })

export type FieldTest = z.infer<typeof FieldTest>

export type Condition = { and: Condition[] } | { or: Condition[] } | { not: Condition } | { [field: string]: FieldTest }

const COMBINATORS = new Set(['and', 'or', 'not'])

/**
 * One object schema for every variant (rather than a union) so that an error points at the
 * exact key that is wrong (`rules.0.when.and.1.header.x-tier.eq`), not at "no variant matched".
 */
const conditionList = () => z.lazy(() => z.array(Condition).min(1).max(MAX_CONDITION_ITEMS)).optional()

export const Condition: z.ZodType<Condition> = z
  .object({
    and: conditionList(),
    or: conditionList(),
    not: z.lazy(() => Condition).optional(),
  })
  .catchall(FieldTest)
  .superRefine((condition, ctx) => {
    const keys = Object.keys(condition)
    if (keys.length !== 1) {
      ctx.addIssue({ code: 'custom', message: 'a condition has exactly one key: "and", "or", "not" or a field such as "header.x-tier"' })
    }
    for (const key of keys) {
      if (!COMBINATORS.has(key) && !CONDITION_FIELD_REGEX.test(key)) {
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: 'unknown field: use header.<name>, metadata.<name>, key.id, key.name, user or body.<path>',
        })
      }
    }
  }) as z.ZodType<Condition>
