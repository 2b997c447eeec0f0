import { z } from 'zod'
import { GatewayError } from '../../errors.ts'

// What an OpenAI client sends to POST /v1/responses (the Responses API), for translation to a
// provider of another wire: only what translation reads, parsed once (zod). `input` items and
// `tools` are parsed one by one (parseAt) so that a 400 names the item; fields the schemas do
// not list are kept (`loose`) and judged by request.ts.

/** A schema parse whose 400 names the field under `prefix` (`input.2.content.0`). */
export function parseAt<T>(schema: z.ZodType<T>, value: unknown, prefix: string): T {
  const parsed = schema.safeParse(value)
  if (parsed.success) return parsed.data
  const issue = parsed.error.issues[0]
  const param = [prefix, ...(issue?.path.map(String) ?? [])].filter(Boolean).join('.')
  throw new GatewayError('SY_ERR_REQUEST_INVALID', `Invalid request: '${param}': ${issue?.message ?? 'invalid'}.`, { param })
}

export const InputText = z.object({ type: z.enum(['input_text', 'output_text']), text: z.string() }).loose()
const Refusal = z.object({ type: z.literal('refusal'), refusal: z.string() })
export const InputImage = z.object({
  type: z.literal('input_image'),
  image_url: z.string().nullish(),
  file_id: z.string().nullish(),
  detail: z.enum(['auto', 'low', 'high']).nullish(),
})
const OtherPart = z.object({ type: z.enum(['input_file', 'input_audio']) }).loose()
export const ContentPart = z.discriminatedUnion('type', [InputText, Refusal, InputImage, OtherPart])
export type ContentPart = z.infer<typeof ContentPart>

export const MessageItem = z.object({
  type: z.literal('message').optional(),
  role: z.enum(['user', 'assistant', 'system', 'developer']),
  content: z.union([z.string(), z.array(ContentPart)]),
})
export type MessageItem = z.infer<typeof MessageItem>

export const FunctionCallItem = z.object({
  type: z.literal('function_call'),
  call_id: z.string(),
  name: z.string(),
  arguments: z.string(),
})

export const FunctionCallOutputItem = z.object({
  type: z.literal('function_call_output'),
  call_id: z.string(),
  output: z.union([z.string(), z.array(z.discriminatedUnion('type', [InputText, InputImage, OtherPart]))]),
})
export type FunctionCallOutputItem = z.infer<typeof FunctionCallOutputItem>

const TextList = z.array(z.object({ text: z.string() }).loose())
export const ReasoningItem = z.object({
  type: z.literal('reasoning'),
  summary: TextList.nullish(),
  content: TextList.nullish(),
  encrypted_content: z.string().nullish(),
})
export type ReasoningItem = z.infer<typeof ReasoningItem>

export const FunctionTool = z.object({
  type: z.literal('function'),
  name: z.string(),
  description: z.string().nullish(),
  parameters: z.record(z.string(), z.unknown()).nullish(),
  strict: z.boolean().nullish(),
})

const Typed = z.object({ type: z.string().optional() }).loose()

const TextFormat = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text') }),
  z.object({ type: z.literal('json_object') }),
  z.object({
    type: z.literal('json_schema'),
    name: z.string(),
    description: z.string().nullish(),
    schema: z.record(z.string(), z.unknown()),
    strict: z.boolean().nullish(),
  }),
])

const ToolChoice = z.union([z.enum(['none', 'auto', 'required']), z.object({ type: z.string(), name: z.string().optional() }).loose()])
const num = z.number().nullish()

export const WireResponsesRequest = z
  .object({
    model: z.string(),
    input: z.union([z.string(), z.array(Typed)]),
    instructions: z.string().nullish(),
    tools: z.array(Typed).nullish(),
    tool_choice: ToolChoice.nullish(),
    parallel_tool_calls: z.boolean().nullish(),
    text: z.object({ format: TextFormat.nullish(), verbosity: z.string().nullish() }).loose().nullish(),
    max_output_tokens: z.number().int().positive().nullish(),
    temperature: num,
    top_p: num,
    reasoning: z.object({ effort: z.enum(['none', 'minimal', 'low', 'medium', 'high', 'xhigh']).nullish(), summary: z.string().nullish() }).loose().nullish(),
    stream: z.boolean().nullish(),
    store: z.boolean().nullish(),
    previous_response_id: z.string().nullish(),
    conversation: z.unknown().optional(),
    background: z.boolean().nullish(),
    prompt: z.unknown().optional(),
    metadata: z.record(z.string(), z.string()).nullish(),
    user: z.string().nullish(),
    safety_identifier: z.string().nullish(),
    top_logprobs: z.number().int().nullish(),
  })
  .loose()
export type WireResponsesRequest = z.infer<typeof WireResponsesRequest>
