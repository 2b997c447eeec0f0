import { z } from 'zod'
import { parseWire } from '../dialects/wire-parse.ts'

// Part of 2. (parse-body): the types of the fields every provider relies on, checked at the
// gateway for each endpoint — also for passthrough, so a malformed body is a 400 in the caller's
// format naming the field (with `x-switchyard-error`), never a provider's error or a fake 200
// relayed. Only types and required fields: values and everything else stay the provider's
// business (unknown fields pass).
//
// One table of field kinds per endpoint, read two ways: a plain check that runs on every
// request and copies nothing, and the zod schema built from the same kinds, which only runs
// when the plain check says no — to name the field and say what is wrong, as zod words it. The
// plain check never accepts what the schema refuses (shape.test.ts holds the two together).

type Kind = 'messages' | 'count' | 'requiredCount' | 'fraction' | 'list' | 'system' | 'object' | 'stringList' | 'input' | 'optionalInput' | 'optionalString'

const SHAPES: Readonly<Record<string, Readonly<Record<string, Kind>>>> = {
  '/v1/chat/completions': {
    messages: 'messages',
    max_tokens: 'count',
    max_completion_tokens: 'count',
    n: 'count',
    temperature: 'fraction',
    top_p: 'fraction',
    tools: 'list',
    stream_options: 'object',
  },
  '/v1/messages': {
    messages: 'messages',
    max_tokens: 'requiredCount',
    system: 'system',
    temperature: 'fraction',
    top_p: 'fraction',
    tools: 'list',
    stop_sequences: 'stringList',
  },
  '/v1/messages/count_tokens': { messages: 'messages', system: 'system', tools: 'list' },
  '/v1/embeddings': { input: 'input', dimensions: 'count', encoding_format: 'optionalString' },
  '/v1/responses': {
    input: 'optionalInput',
    instructions: 'optionalString',
    max_output_tokens: 'count',
    temperature: 'fraction',
    top_p: 'fraction',
    tools: 'list',
  },
}

const count = z.number().int().nonnegative()
const SCHEMAS: Readonly<Record<Kind, z.ZodType>> = {
  messages: z.array(z.looseObject({ role: z.string() })),
  count: count.nullish(),
  requiredCount: count,
  fraction: z.number().nullish(),
  list: z.array(z.unknown()).nullish(),
  system: z.union([z.string(), z.array(z.unknown())]).optional(),
  object: z.looseObject({}).nullish(),
  stringList: z.array(z.string()).nullish(),
  input: z.union([z.string(), z.array(z.unknown())]),
  optionalInput: z.union([z.string(), z.array(z.unknown())]).nullish(),
  optionalString: z.string().nullish(),
}

const absent = (value: unknown) => value === undefined || value === null
const isCount = (value: unknown) => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0
const isObject = (value: unknown) => typeof value === 'object' && value !== null && !Array.isArray(value)

const CHECKS: Readonly<Record<Kind, (value: unknown) => boolean>> = {
  messages: (value) => Array.isArray(value) && value.every((m) => isObject(m) && typeof (m as { role?: unknown }).role === 'string'),
  count: (value) => absent(value) || isCount(value),
  requiredCount: isCount,
  fraction: (value) => absent(value) || (typeof value === 'number' && Number.isFinite(value)),
  list: (value) => absent(value) || Array.isArray(value),
  system: (value) => value === undefined || typeof value === 'string' || Array.isArray(value),
  object: (value) => absent(value) || isObject(value),
  stringList: (value) => absent(value) || (Array.isArray(value) && value.every((s) => typeof s === 'string')),
  input: (value) => typeof value === 'string' || Array.isArray(value),
  optionalInput: (value) => absent(value) || typeof value === 'string' || Array.isArray(value),
  optionalString: (value) => absent(value) || typeof value === 'string',
}

/** The zod schema of an endpoint's body (unknown fields pass), built from its kinds. */
export function shapeSchema(endpoint: string): z.ZodType | null {
  const fields = SHAPES[endpoint]
  return fields ? z.looseObject(Object.fromEntries(Object.entries(fields).map(([name, kind]) => [name, SCHEMAS[kind]]))) : null
}

const schemas = new Map(Object.keys(SHAPES).map((endpoint) => [endpoint, shapeSchema(endpoint) as z.ZodType]))

/** The plain check: true when every listed field has its kind (the schema would accept the body). */
export function shapeFits(endpoint: string, body: Record<string, unknown>): boolean {
  const fields = SHAPES[endpoint]
  if (!fields) return true
  for (const name in fields) if (!CHECKS[fields[name] as Kind](body[name])) return false
  return true
}

/** Throws SY_ERR_REQUEST_INVALID (param = the first offending field) when the body's shape is wrong for the endpoint. */
export function checkRequestShape(endpoint: string, body: Record<string, unknown>): void {
  if (shapeFits(endpoint, body)) return
  const schema = schemas.get(endpoint)
  if (schema) parseWire(schema, body)
}
