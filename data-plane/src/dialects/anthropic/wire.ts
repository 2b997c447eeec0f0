import { z } from 'zod'

// What an Anthropic client sends to POST /v1/messages: only what translation reads, parsed once
// (zod). Fields the schema does not list are kept (`loose`) and judged by request.ts.

const CacheControl = z.object({ type: z.string() }).loose().nullish()

const TextBlock = z.object({ type: z.literal('text'), text: z.string(), cache_control: CacheControl, citations: z.unknown().optional() })
const ImageBlock = z.object({
  type: z.literal('image'),
  source: z.discriminatedUnion('type', [
    z.object({ type: z.literal('base64'), media_type: z.string(), data: z.string() }),
    z.object({ type: z.literal('url'), url: z.string() }),
    z.object({ type: z.literal('file'), file_id: z.string() }),
  ]),
  cache_control: CacheControl,
})
export type WireImageBlock = z.infer<typeof ImageBlock>

const ToolUseBlock = z.object({
  type: z.literal('tool_use'),
  id: z.string(),
  name: z.string(),
  input: z.unknown(),
  cache_control: CacheControl,
})
/** Tool search: a result naming a deferred tool whose definition the API should now load. */
const ToolReferenceBlock = z.object({ type: z.literal('tool_reference'), tool_name: z.string() })
export type WireToolReferenceBlock = z.infer<typeof ToolReferenceBlock>
const ToolResultPart = z.discriminatedUnion('type', [TextBlock, ImageBlock, ToolReferenceBlock])
export type WireToolResultPart = z.infer<typeof ToolResultPart>
const ToolResultBlock = z.object({
  type: z.literal('tool_result'),
  tool_use_id: z.string(),
  content: z.union([z.string(), z.array(ToolResultPart)]).nullish(),
  is_error: z.boolean().nullish(),
  cache_control: CacheControl,
})
const ThinkingBlock = z.object({ type: z.literal('thinking'), thinking: z.string(), signature: z.string().nullish() })
const RedactedThinkingBlock = z.object({ type: z.literal('redacted_thinking'), data: z.string() })

/** Blocks Anthropic knows that have no OpenAI Chat Completions counterpart. */
export const UNTRANSLATABLE_BLOCKS = ['document', 'search_result', 'server_tool_use', 'web_search_tool_result', 'container_upload'] as const
const OtherBlock = z.object({ type: z.enum(UNTRANSLATABLE_BLOCKS) }).loose()

export const WireBlock = z.discriminatedUnion('type', [TextBlock, ImageBlock, ToolUseBlock, ToolResultBlock, ThinkingBlock, RedactedThinkingBlock, OtherBlock])
export type WireBlock = z.infer<typeof WireBlock>

const ConversationMessage = z.object({ role: z.enum(['user', 'assistant']), content: z.union([z.string(), z.array(WireBlock)]) })
/**
 * A mid-conversation system message (Anthropic's `role: "system"` inside `messages`): text, or
 * text blocks. Its other block kinds (the tool_addition / tool_removal of mid-conversation tool
 * changes) are kept loose here and refused by request.ts.
 */
const SystemBlock = z.union([TextBlock, z.object({ type: z.string().refine((type) => type !== 'text', 'a text block needs its text') }).loose()])
const SystemMessage = z.object({ role: z.literal('system'), content: z.union([z.string(), z.array(SystemBlock)]) })
export type WireSystemMessage = z.infer<typeof SystemMessage>
export const WireMessageParam = z.discriminatedUnion('role', [ConversationMessage, SystemMessage])

const Tool = z
  .object({
    type: z.string().nullish(),
    name: z.string(),
    description: z.string().nullish(),
    input_schema: z.record(z.string(), z.unknown()).nullish(),
    cache_control: CacheControl,
    strict: z.boolean().nullish(),
    defer_loading: z.boolean().nullish(),
  })
  .loose()

const parallel = { disable_parallel_tool_use: z.boolean().nullish() }
const ToolChoice = z.discriminatedUnion('type', [
  z.object({ type: z.literal('auto'), ...parallel }),
  z.object({ type: z.literal('any'), ...parallel }),
  z.object({ type: z.literal('tool'), name: z.string(), ...parallel }),
  z.object({ type: z.literal('none') }),
])

const Thinking = z.discriminatedUnion('type', [
  z.object({ type: z.literal('enabled'), budget_tokens: z.number().int().positive() }).loose(),
  z.object({ type: z.literal('disabled') }),
  z.object({ type: z.literal('adaptive') }).loose(),
  z.object({ type: z.literal('between_tools') }).loose(),
])

const OutputConfig = z
  .object({
    effort: z.enum(['low', 'medium', 'high', 'xhigh', 'max']).nullish(),
    format: z.object({ type: z.literal('json_schema'), schema: z.record(z.string(), z.unknown()) }).nullish(),
  })
  .loose()

export const WireMessagesRequest = z
  .object({
    model: z.string(),
    max_tokens: z.number({ error: 'Field required' }).int().positive(),
    messages: z.array(WireMessageParam),
    system: z.union([z.string(), z.array(TextBlock)]).nullish(),
    stop_sequences: z.array(z.string()).nullish(),
    temperature: z.number().nullish(),
    top_p: z.number().nullish(),
    top_k: z.number().int().nullish(),
    stream: z.boolean().nullish(),
    tools: z.array(Tool).nullish(),
    tool_choice: ToolChoice.nullish(),
    thinking: Thinking.nullish(),
    output_config: OutputConfig.nullish(),
    metadata: z.object({ user_id: z.string().nullish() }).loose().nullish(),
    service_tier: z.string().nullish(),
  })
  .loose()
export type WireMessagesRequest = z.infer<typeof WireMessagesRequest>
