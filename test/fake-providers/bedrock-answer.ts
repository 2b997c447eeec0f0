import { describeImage, exampleOf, hex } from './fake-content.ts'

// What the fake Bedrock answers, decided from a Converse body as Converse behaves: after
// toolResult blocks it reports what the tools said; with toolConfig it calls the tools
// (toolChoice `tool` forces one), inputs generated from each inputSchema.json; with an enabled
// thinking budget (additionalModelRequestFields) a signed reasoning block comes first;
// otherwise it echoes the last user turn (images described). It refuses (ValidationException)
// what Converse refuses: turns that do not alternate starting with user, toolUse not answered by
// toolResult in the next turn (and the reverse), tool blocks without a toolConfig, unknown
// image formats, empty text.

interface Block {
  text?: string
  image?: { format?: string; source?: { bytes?: string } }
  toolUse?: { toolUseId?: string; name?: string; input?: unknown }
  toolResult?: { toolUseId?: string; content?: { text?: string }[]; status?: string }
}
interface Message {
  role?: string
  content?: Block[]
}
export interface ConverseBody {
  messages?: Message[]
  system?: { text?: string }[]
  toolConfig?: { tools?: { toolSpec?: { name?: string; inputSchema?: { json?: unknown } } }[]; toolChoice?: { tool?: { name?: string } } }
  additionalModelRequestFields?: { thinking?: { type?: string } }
}

export type AnswerBlock = { text: string } | { toolUse: { toolUseId: string; name: string; input: unknown } } | { reasoningContent: { reasoningText: { text: string; signature: string } } }

export interface BedrockAnswer {
  prompt: string
  content: AnswerBlock[]
  stopReason: 'end_turn' | 'tool_use'
}

const FORMATS = new Set(['png', 'jpeg', 'gif', 'webp'])

function blockText(block: Block): string {
  if (typeof block.text === 'string') return block.text
  if (block.image) return describeImage({ mediaType: `image/${block.image.format ?? ''}`, data: block.image.source?.bytes ?? '' })
  return ''
}

const ids = (message: Message | undefined, kind: 'toolUse' | 'toolResult') => new Set((message?.content ?? []).flatMap((b) => (b[kind]?.toolUseId ? [b[kind].toolUseId] : [])))

function messageRefusal(messages: Message[], i: number, hasTools: boolean): string | null {
  const message = messages[i]
  const blocks = message?.content ?? []
  if (message?.role !== (i % 2 === 0 ? 'user' : 'assistant')) return 'A conversation must alternate between user and assistant roles, starting with user.'
  if (blocks.some((b) => b.text === '')) return `The text field in the ContentBlock object at messages.${i}.content is blank.`
  if (blocks.some((b) => b.image && !FORMATS.has(b.image.format ?? ''))) return `messages.${i}: invalid image format`
  if (!hasTools && blocks.some((b) => b.toolUse || b.toolResult)) return 'The toolConfig field must be defined when using toolUse and toolResult content blocks.'
  const asked = ids(messages[i - 1], 'toolUse')
  const answered = ids(message, 'toolResult')
  if ([...asked].some((id) => !answered.has(id)) || [...answered].some((id) => !asked.has(id))) {
    return `messages.${i}: The number of toolResult blocks at messages.${i}.content exceeds or does not match the number of toolUse blocks of previous turn.`
  }
  return null
}

export function planBedrockAnswer(body: ConverseBody): BedrockAnswer | { error: string } {
  const messages = body.messages ?? []
  const tools = (body.toolConfig?.tools ?? []).flatMap((t) => (t.toolSpec?.name ? [t.toolSpec] : []))
  for (let i = 0; i < messages.length; i++) {
    const refused = messageRefusal(messages, i, tools.length > 0)
    if (refused) return { error: refused }
  }
  const prompt = [...(body.system ?? []).map((s) => s.text ?? ''), ...messages.map((m) => (m.content ?? []).map(blockText).join(''))].join('\n')
  const last = messages.at(-1)
  const userText = (last?.content ?? []).map(blockText).join('')
  const lead: AnswerBlock[] =
    body.additionalModelRequestFields?.thinking?.type === 'enabled' ? [{ reasoningContent: { reasoningText: { text: `Considering: ${userText}`, signature: `sig_${hex(16)}` } } }] : []
  const results = (last?.content ?? []).flatMap((b) => (b.toolResult ? [b.toolResult] : []))
  if (results.length > 0) {
    const said = results.map((r) => (r.content ?? []).map((c) => c.text ?? '').join('')).join(' | ')
    return { prompt, content: [...lead, { text: `Tool said: ${said}` }], stopReason: 'end_turn' }
  }
  const forced = body.toolConfig?.toolChoice?.tool?.name
  const called = tools.filter((t) => forced === undefined || t.name === forced)
  if (called.length > 0) {
    const uses = called.map((t) => ({ toolUse: { toolUseId: `tooluse_${hex(11)}`, name: t.name ?? '', input: exampleOf(t.inputSchema?.json, userText) } }))
    return { prompt, content: [...lead, ...uses], stopReason: 'tool_use' }
  }
  return { prompt, content: [...lead, { text: userText }], stopReason: 'end_turn' }
}
