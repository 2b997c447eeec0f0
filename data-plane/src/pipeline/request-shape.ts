import { z } from 'zod'
import { parseWire } from '../dialects/wire-parse.ts'

// Part of 2. (parse-body): the types of the fields every provider relies on, checked at the
// gateway for each endpoint — also for passthrough, so a malformed body is a 400 in the caller's
// format naming the field (with `x-switchyard-error`), never a provider's error or a fake 200
// relayed. Only types and required fields: values and everything else stay the provider's
// business (unknown fields pass).

const count = z.number().int().nonnegative().nullish()
const fraction = z.number().nullish()
const messages = z.array(z.looseObject({ role: z.string() }))
const system = z.union([z.string(), z.array(z.unknown())]).optional()
const list = z.array(z.unknown()).nullish()

const SHAPES: Readonly<Record<string, z.ZodType>> = {
  '/v1/chat/completions': z.looseObject({
    messages,
    max_tokens: count,
    max_completion_tokens: count,
    n: count,
    temperature: fraction,
    top_p: fraction,
    tools: list,
    stream_options: z.looseObject({}).nullish(),
  }),
  '/v1/messages': z.looseObject({
    messages,
    max_tokens: z.number().int().nonnegative(),
    system,
    temperature: fraction,
    top_p: fraction,
    tools: list,
    stop_sequences: z.array(z.string()).nullish(),
  }),
  '/v1/messages/count_tokens': z.looseObject({ messages, system, tools: list }),
  '/v1/embeddings': z.looseObject({ input: z.union([z.string(), z.array(z.unknown())]), dimensions: count, encoding_format: z.string().nullish() }),
  '/v1/responses': z.looseObject({
    input: z.union([z.string(), z.array(z.unknown())]).nullish(),
    instructions: z.string().nullish(),
    max_output_tokens: count,
    temperature: fraction,
    top_p: fraction,
    tools: list,
  }),
}

/** Throws SY_ERR_REQUEST_INVALID (param = the first offending field) when the body's shape is wrong for the endpoint. */
export function checkRequestShape(endpoint: string, body: Record<string, unknown>): void {
  const shape = SHAPES[endpoint]
  if (shape) parseWire(shape, body)
}
