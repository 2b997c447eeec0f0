import type { z } from 'zod'
import { GatewayError } from '../errors.ts'

// Parsing a client's body for translation: once, with the family's zod schema. A body the
// schema refuses is a 400 naming the first offending field (as the provider itself would).

export function parseWire<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body)
  if (parsed.success) return parsed.data
  const issue = parsed.error.issues[0]
  const param = issue ? issue.path.map(String).join('.') : ''
  const what = param ? `'${param}': ${issue?.message ?? 'invalid'}` : (issue?.message ?? 'invalid body')
  throw new GatewayError('SY_ERR_REQUEST_INVALID', `Invalid request: ${what}.`, { param: param || null })
}

/** A feature the other API family cannot express: refused before anything goes upstream. */
export function untranslatable(param: string, what: string): GatewayError {
  return new GatewayError('SY_ERR_REQUEST_UNTRANSLATABLE', `'${param}': ${what} cannot be translated for this provider connection.`, { param })
}

/** Top-level fields of `body` that are neither handled nor known to be harmless: named as degraded. */
export function unknownFields(body: Record<string, unknown>, known: ReadonlySet<string>): string[] {
  return Object.keys(body).filter((name) => !known.has(name) && body[name] !== undefined && body[name] !== null)
}
