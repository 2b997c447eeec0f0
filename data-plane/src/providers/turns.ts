import type { CanonicalMessage, CanonicalPart } from '../dialects/canonical.ts'

export interface Turn<Block> {
  role: CanonicalMessage['role']
  content: Block[]
}

/**
 * Canonical messages as the strictly alternating turns Anthropic and Bedrock require:
 * consecutive messages of one role merge, messages with nothing left after conversion drop,
 * and in a user turn the tool results come first (answers to tool calls must lead the turn).
 */
export function alternatingTurns<Block>(
  messages: CanonicalMessage[],
  convert: (part: CanonicalPart) => Block | null,
  isToolResult: (block: Block) => boolean,
): Turn<Block>[] {
  const out: Turn<Block>[] = []
  for (const message of messages) {
    const blocks = message.content.flatMap((part) => {
      const converted = convert(part)
      return converted === null ? [] : [converted]
    })
    if (blocks.length === 0) continue
    const last = out.at(-1)
    if (last?.role === message.role) last.content.push(...blocks)
    else out.push({ role: message.role, content: blocks })
  }
  for (const turn of out) {
    if (turn.role === 'user') turn.content.sort((a, b) => Number(isToolResult(b)) - Number(isToolResult(a)))
  }
  return out
}
