import { echo, exampleOf, hex, textOf } from './fake-content.ts'

// What the fake OpenAI answers, decided from the request as OpenAI's documented behaviour has it:
// after `tool` messages it reports what the tools said; with `tools` (and tool_choice not
// "none") it calls them (every tool at once unless parallel_tool_calls is false or one is
// forced), arguments generated from each tool's JSON schema; with `response_format`
// json_schema / json_object it answers JSON; otherwise it echoes the last user message (images
// described). It refuses a `tool` message that answers no preceding tool call, as OpenAI does.

export interface OpenAIChatBody {
  model?: unknown
  messages?: unknown
  stream?: unknown
  stream_options?: { include_usage?: unknown } | null
  tools?: { type?: string; function?: { name?: string; parameters?: unknown } }[]
  tool_choice?: unknown
  parallel_tool_calls?: unknown
  response_format?: { type?: string; json_schema?: { schema?: unknown } }
  reasoning_effort?: unknown
}

export interface FakeToolCall {
  id: string
  name: string
  arguments: string
}

export interface OpenAIAnswer {
  prompt: string
  content: string | null
  toolCalls: FakeToolCall[]
  finishReason: 'stop' | 'tool_calls'
  reasoningTokens: number
}

interface Message {
  role?: unknown
  content?: unknown
  tool_call_id?: unknown
  tool_calls?: { id?: unknown }[]
}

export const TOOL_MESSAGE_ERROR = "Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls'."

function toolsAnswered(messages: Message[]): boolean {
  const open = new Set<unknown>()
  for (const message of messages) {
    if (message.role === 'assistant') for (const call of message.tool_calls ?? []) open.add(call.id)
    if (message.role === 'tool' && !open.has(message.tool_call_id)) return false
  }
  return true
}

function toolCalls(body: OpenAIChatBody, text: string): FakeToolCall[] {
  const tools = (body.tools ?? []).filter((t) => t.type === 'function' && t.function?.name)
  const forced = typeof body.tool_choice === 'object' && body.tool_choice !== null ? (body.tool_choice as { function?: { name?: string } }).function?.name : undefined
  const chosen = forced ? tools.filter((t) => t.function?.name === forced) : body.parallel_tool_calls === false ? tools.slice(0, 1) : tools
  return chosen.map((tool) => ({ id: `call_${hex(12)}`, name: tool.function?.name ?? '', arguments: JSON.stringify(exampleOf(tool.function?.parameters, text)) }))
}

function textAnswer(body: OpenAIChatBody, messages: Message[], userText: string): string {
  const trailingTools = []
  for (const message of [...messages].reverse()) {
    if (message.role !== 'tool') break
    trailingTools.unshift(textOf(message.content))
  }
  if (trailingTools.length > 0) return `Tool said: ${trailingTools.join(' | ')}`
  const format = body.response_format
  if (format?.type === 'json_schema') return JSON.stringify(exampleOf(format.json_schema?.schema, userText))
  if (format?.type === 'json_object') return JSON.stringify({ echo: userText })
  return userText
}

export function planOpenAIAnswer(body: OpenAIChatBody): OpenAIAnswer | { error: string } {
  const messages = Array.isArray(body.messages) ? (body.messages as Message[]) : []
  if (!toolsAnswered(messages)) return { error: TOOL_MESSAGE_ERROR }
  const { prompt, content } = echo(messages)
  const reasoningTokens = typeof body.reasoning_effort === 'string' ? 8 : 0
  const lastIsTool = messages.at(-1)?.role === 'tool'
  const calls = !lastIsTool && body.tool_choice !== 'none' ? toolCalls(body, content) : []
  if (calls.length > 0) return { prompt, content: null, toolCalls: calls, finishReason: 'tool_calls', reasoningTokens }
  return { prompt, content: textAnswer(body, messages, content), toolCalls: [], finishReason: 'stop', reasoningTokens }
}
