import type { MatchRule } from './catalogue-schema.ts'

// genai-prices' matching: the id is lower-cased and trimmed first; string comparisons ignore case
// and regexes run on the lower-cased id (its `f()` in dist/index.js).

const compiled = new Map<string, RegExp>()

function regexOf(source: string): RegExp {
  let regex = compiled.get(source)
  if (!regex) {
    regex = new RegExp(source)
    compiled.set(source, regex)
  }
  return regex
}

export function normaliseModelId(id: string): string {
  return id.toLowerCase().trim()
}

/** `id` must already be normalised (normaliseModelId). */
export function matches(rule: MatchRule, id: string): boolean {
  if ('anyOf' in rule) return rule.anyOf.some((child) => matches(child, id))
  if ('allOf' in rule) return rule.allOf.every((child) => matches(child, id))
  if ('equals' in rule) return id === rule.equals.toLowerCase()
  if ('startsWith' in rule) return id.startsWith(rule.startsWith.toLowerCase())
  if ('endsWith' in rule) return id.endsWith(rule.endsWith.toLowerCase())
  if ('contains' in rule) return id.includes(rule.contains.toLowerCase())
  return regexOf(rule.regex).test(id)
}

const COMPACT_DATE = /(-)(20\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?=-|:|$)/g

/**
 * `claude-sonnet-4-20250514` → `claude-sonnet-4-2025-05-14`: genai-prices retries a miss with
 * compact dates spelled out (only real calendar dates), so we do too.
 */
export function withDashedDates(id: string): string {
  return id.replace(COMPACT_DATE, (whole, dash: string, year: string, month: string, day: string) => {
    const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)))
    const real = date.getUTCFullYear() === Number(year) && date.getUTCMonth() === Number(month) - 1 && date.getUTCDate() === Number(day)
    return real ? `${dash}${year}-${month}-${day}` : whole
  })
}
