import { echo, exampleOf, hex, textOf } from './fake-content.ts'

// What the fake Anthropic answers, decided from the request as Anthropic's documented behaviour
// has it: after `tool_result` blocks it reports what the tools said; with `tools` (and
// tool_choice not "none") it calls them (all at once unless disable_parallel_tool_use or one is
// forced), inputs generated from each tool's input_schema; with `output_config.format` it
// answers JSON matching the schema; with `thinking` enabled a signed thinking block comes first;
// otherwise it echoes the last user message (images described). It refuses what Anthropic
// refuses and translation could get wrong: empty text blocks, tool_use blocks not answered by
// tool_result blocks in the very next message (and the reverse), temperature above 1.

export interface MessagesBody {
  model?: unknown
  system?: unknown
  messages?: unknown
  max_tokens?: unknown
  stream?: unknown
  temperature?: unknown
  tools?: { name?: string; input_schema?: unknown; type?: string }[]
  tool_choice?: { type?: string; name?: string; disable_parallel_tool_use?: boolean }
  output_config?: { format?: { type?: string; schema?: unknown } }
  thinking?: { type?: string; budget_tokens?: number }
}

export type FakeBlock =
  | { type: 'text'; text: string }
  | { type: 'thinking'; thinking: string; signature: string }
  | { type: 'tool_use'; id: string; name: string; input: unknown }

export interface AnthropicAnswer {
  prompt: string
  content: FakeBlock[]
  stopReason: 'end_turn' | 'tool_use'
}

interface Block {
  type?: unknown
  text?: unknown
  id?: unknown
  tool_use_id?: unknown
  content?: unknown
}
interface Message {
  role?: unknown
  content?: unknown
}

const blocksOf = (message: Message | undefined): Block[] => (Array.isArray(message?.content) ? (message.content as Block[]) : [])

function refusal(messages: Message[], body: MessagesBody): string | null {
  if (typeof body.temperature === 'number' && (body.temperature < 0 || body.temperature > 1)) return 'temperature: range: 0..1'
  for (let i = 0; i < messages.length; i++) {
    const message = messages[i]
    const blocks = blocksOf(message)
    if (blocks.some((b) => b.type === 'text' && b.text === '')) return `messages.${i}: text content blocks must be non-empty`
    const asked = new Set(blocksOf(messages[i - 1]).flatMap((b) => (b.type === 'tool_use' ? [b.id] : [])))
    const orphan = blocks.find((b) => b.type === 'tool_result' && !asked.has(b.tool_use_id))
    const answered = new Set(blocks.flatMap((b) => (b.type === 'tool_result' ? [b.tool_use_id] : [])))
    const unanswered = [...asked].filter((id) => !answered.has(id))
    if (unanswered.length > 0) return `messages.${i}: \`tool_use\` ids were found without \`tool_result\` blocks immediately after: ${unanswered.join(', ')}. Each \`tool_use\` block must have a corresponding \`tool_result\` block in the next message.`
    if (orphan) return `messages.${i}.content: unexpected \`tool_use_id\` found in \`tool_result\` blocks: ${String(orphan.tool_use_id)}. Each \`tool_result\` block must have a corresponding \`tool_use\` block in the previous message.`
  }
  return null
}

function toolUses(body: MessagesBody, text: string): FakeBlock[] {
  const tools = (body.tools ?? []).filter((t) => (t.type === undefined || t.type === 'custom') && t.name)
  const choice = body.tool_choice
  const chosen = choice?.type === 'tool' ? tools.filter((t) => t.name === choice.name) : choice?.disable_parallel_tool_use ? tools.slice(0, 1) : tools
  return chosen.map((tool) => ({ type: 'tool_use', id: `toolu_01${hex(11)}`, name: tool.name ?? '', input: exampleOf(tool.input_schema, text) }))
}

export function planAnthropicAnswer(body: MessagesBody): AnthropicAnswer | { error: string } {
  const messages = Array.isArray(body.messages) ? (body.messages as Message[]) : []
  const refused = refusal(messages, body)
  if (refused) return { error: refused }
  const { prompt, content: userText } = echo(messages, body.system)
  const lead: FakeBlock[] = body.thinking?.type === 'enabled' ? [{ type: 'thinking', thinking: `Considering: ${userText}`, signature: `sig_${hex(16)}` }] : []
  const results = blocksOf(messages.at(-1)).filter((b) => b.type === 'tool_result')
  if (results.length > 0) {
    return { prompt, content: [...lead, { type: 'text', text: `Tool said: ${results.map((r) => textOf(r.content)).join(' | ')}` }], stopReason: 'end_turn' }
  }
  const calls = body.tool_choice?.type === 'none' ? [] : toolUses(body, userText)
  if (calls.length > 0) return { prompt, content: [...lead, ...calls], stopReason: 'tool_use' }
  const format = body.output_config?.format
  const text = format?.type === 'json_schema' ? JSON.stringify(exampleOf(format.schema, userText)) : userText
  return { prompt, content: [...lead, { type: 'text', text }], stopReason: 'end_turn' }
}

/** The text the fake counts as output tokens. */
export function answerText(answer: AnthropicAnswer): string {
  return answer.content.map((b) => (b.type === 'text' ? b.text : b.type === 'thinking' ? b.thinking : b.name + JSON.stringify(b.input))).join('')
}
