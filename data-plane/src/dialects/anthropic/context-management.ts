import { z } from 'zod'
import type { Degraded } from '../canonical.ts'
import { parseWire, untranslatable } from '../wire-parse.ts'

// Anthropic's context editing (`context_management`, beta context-management-2025-06-27): edits
// the Anthropic API applies to the conversation before the model reads it. No other upstream
// edits a conversation, so an edit translates only when it would change nothing:
// clear_thinking_20251015 with `keep: "all"` keeps every thinking block (Claude Code sends it on
// every request, to keep its prompt cache). That one is dropped and named; any edit that
// clears something (clear_tool_uses_20250919, clear_thinking with a `thinking_turns` keep or the
// default keep of one turn, a strategy this gateway does not know) is refused with a 400, since
// sending the conversation unedited would not be what the client asked for.

const Edit = z.object({ type: z.string() }).loose()
const ContextManagement = z.object({ edits: z.array(Edit).nullish() }).loose()

const CLEAR_THINKING = 'clear_thinking_20251015'
const CLEAR_TOOL_USES = 'clear_tool_uses_20250919'
/** What each strategy this gateway knows by name does, for the refusal's message. */
const STRATEGIES: Record<string, string> = {
  [CLEAR_THINKING]: 'clearing thinking blocks of earlier turns',
  [CLEAR_TOOL_USES]: 'clearing old tool uses and results',
}

function isNoOp(edit: z.infer<typeof Edit>): boolean {
  const knobs = Object.keys(edit).filter((name) => name !== 'type')
  return edit.type === CLEAR_THINKING && edit.keep === 'all' && knobs.length === 1
}

/** The body's `context_management`: nothing when absent, named when every edit is a no-op, else refused (400). */
export function contextManagementOf(value: unknown, degraded: Degraded): void {
  if (value === undefined || value === null) return
  const parsed = parseWire(z.object({ context_management: ContextManagement }), { context_management: value }).context_management
  const unknown = Object.keys(parsed).filter((name) => name !== 'edits')
  if (unknown.length > 0) throw untranslatable(`context_management.${unknown[0] ?? ''}`, 'a context-management setting')
  const edits = parsed.edits ?? []
  edits.forEach((edit, i) => {
    if (isNoOp(edit)) return
    const what = STRATEGIES[edit.type] ?? `the context-management strategy '${edit.type}'`
    throw untranslatable(`context_management.edits.${i}`, `${what} (${edit.type}${edit.type === CLEAR_THINKING ? ' with a keep other than "all"' : ''})`)
  })
  degraded.push(edits.length > 0 ? `context_management (${CLEAR_THINKING} keep=all: nothing to clear)` : 'context_management (no edits)')
}
