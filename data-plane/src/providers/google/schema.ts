// JSON Schema → the OpenAPI-3.0 Schema subset Gemini accepts (`responseSchema`, function
// `parameters`). Gemini refuses unknown keywords (`additionalProperties`, `$schema`, `strict`,
// `$ref`, …) with a 400, so they are dropped and their names returned for `x-switchyard-degraded`.
// A type list with "null" (`["string","null"]`) becomes `type` + `nullable: true`.

const ALLOWED = new Set([
  'type',
  'format',
  'title',
  'description',
  'nullable',
  'enum',
  'maxItems',
  'minItems',
  'properties',
  'required',
  'minProperties',
  'maxProperties',
  'minLength',
  'maxLength',
  'pattern',
  'example',
  'anyOf',
  'propertyOrdering',
  'default',
  'items',
  'minimum',
  'maximum',
])

type Schema = Record<string, unknown>

const isObject = (value: unknown): value is Schema => typeof value === 'object' && value !== null && !Array.isArray(value)

function typeOf(value: unknown, out: Schema): void {
  if (!Array.isArray(value)) {
    out.type = value
    return
  }
  const types = value.filter((t) => t !== 'null')
  if (types.length !== value.length) out.nullable = true
  if (types.length > 0) out.type = types[0]
}

function normaliseValue(key: string, value: unknown, dropped: Set<string>): unknown {
  if (key === 'properties' && isObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, normaliseSchema(sub, dropped)]))
  }
  if (key === 'items') return normaliseSchema(value, dropped)
  if (key === 'anyOf' && Array.isArray(value)) return value.map((sub) => normaliseSchema(sub, dropped))
  return value
}

/** A copy of `schema` Gemini accepts; the keywords it had to drop are added to `dropped`. */
export function normaliseSchema(schema: unknown, dropped: Set<string>): Schema {
  if (!isObject(schema)) return {}
  const out: Schema = {}
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'type') typeOf(value, out)
    else if (key === 'const') out.enum = [value]
    else if (ALLOWED.has(key)) out[key] = normaliseValue(key, value, dropped)
    else dropped.add(key)
  }
  if (Array.isArray(out.enum) && out.type === undefined) out.type = 'string'
  return out
}
