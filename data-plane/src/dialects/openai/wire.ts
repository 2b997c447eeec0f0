import { z } from 'zod'

// What an OpenAI client sends to POST /v1/chat/completions: only what translation reads, parsed
// once (zod). Fields the schema does not list are kept (`loose`) and judged by request.ts.

const TextPart = z.object({ type: z.literal('text'), text: z.string() })
const ImagePart = z.object({
  type: z.literal('image_url'),
  image_url: z.object({ url: z.string(), detail: z.enum(['auto', 'low', 'high']).nullish() }),
})
const RefusalPart = z.object({ type: z.literal('refusal'), refusal: z.string() })
const AudioPart = z.object({ type: z.literal('input_audio') }).loose()
const FilePart = z.object({ type: z.literal('file') }).loose()

export const UserPart = z.discriminatedUnion('type', [TextPart, ImagePart, AudioPart, FilePart])
export type UserPart = z.infer<typeof UserPart>

const TextContent = z.union([z.string(), z.array(TextPart)])

export const WireToolCall = z.object({
  id: z.string(),
  type: z.literal('function').optional(),
  function: z.object({ name: z.string(), arguments: z.string() }),
})

const SystemMessage = z.object({ role: z.enum(['system', 'developer']), content: TextContent, name: z.string().optional() })
const UserMessage = z.object({ role: z.literal('user'), content: z.union([z.string(), z.array(UserPart)]), name: z.string().optional() })
const AssistantMessage = z.object({
  role: z.literal('assistant'),
  content: z.union([z.string(), z.array(z.discriminatedUnion('type', [TextPart, RefusalPart]))]).nullish(),
  refusal: z.string().nullish(),
  tool_calls: z.array(WireToolCall).nullish(),
  function_call: z.unknown().optional(),
  audio: z.unknown().optional(),
  name: z.string().optional(),
  /** Not OpenAI's own field: the reasoning extension of DeepSeek, vLLM and others (and our replies). */
  reasoning_content: z.string().nullish(),
})
const ToolMessage = z.object({ role: z.literal('tool'), tool_call_id: z.string(), content: TextContent })
const FunctionMessage = z.object({ role: z.literal('function') }).loose()

export const WireMessage = z.discriminatedUnion('role', [SystemMessage, UserMessage, AssistantMessage, ToolMessage, FunctionMessage])
export type WireMessage = z.infer<typeof WireMessage>

const FunctionTool = z.object({
  type: z.literal('function'),
  function: z.object({
    name: z.string(),
    description: z.string().nullish(),
    parameters: z.record(z.string(), z.unknown()).nullish(),
    strict: z.boolean().nullish(),
  }),
})
const CustomTool = z.object({ type: z.literal('custom') }).loose()
export const WireTool = z.discriminatedUnion('type', [FunctionTool, CustomTool])

const ToolChoice = z.union([
  z.enum(['none', 'auto', 'required']),
  z.object({ type: z.literal('function'), function: z.object({ name: z.string() }) }),
  z.object({ type: z.enum(['allowed_tools', 'custom']) }).loose(),
])

const ResponseFormat = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text') }),
  z.object({ type: z.literal('json_object') }),
  z.object({
    type: z.literal('json_schema'),
    json_schema: z.object({
      name: z.string(),
      description: z.string().nullish(),
      schema: z.record(z.string(), z.unknown()).nullish(),
      strict: z.boolean().nullish(),
    }),
  }),
])

const num = z.number().nullish()

export const WireChatRequest = z
  .object({
    model: z.string(),
    messages: z.array(WireMessage).min(1),
    max_tokens: z.number().int().positive().nullish(),
    max_completion_tokens: z.number().int().positive().nullish(),
    temperature: num,
    top_p: num,
    stop: z.union([z.string(), z.array(z.string())]).nullish(),
    seed: z.number().int().nullish(),
    presence_penalty: num,
    frequency_penalty: num,
    stream: z.boolean().nullish(),
    stream_options: z.object({ include_usage: z.boolean().nullish() }).loose().nullish(),
    tools: z.array(WireTool).nullish(),
    tool_choice: ToolChoice.nullish(),
    parallel_tool_calls: z.boolean().nullish(),
    response_format: ResponseFormat.nullish(),
    reasoning_effort: z.enum(['none', 'minimal', 'low', 'medium', 'high']).nullish(),
    user: z.string().nullish(),
    safety_identifier: z.string().nullish(),
    n: z.number().int().nullish(),
    logprobs: z.boolean().nullish(),
    top_logprobs: z.number().int().nullish(),
    modalities: z.array(z.string()).nullish(),
  })
  .loose()
export type WireChatRequest = z.infer<typeof WireChatRequest>
