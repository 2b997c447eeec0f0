import { describe, expect, it } from 'vitest'
import { GatewayError } from '../../errors.ts'
import { parseAnthropicRequest } from './request.ts'

// Issue #11: Claude Code sends `context_management` on every request. The one edit that clears
// nothing translates (dropped, named); every edit that would clear something is refused.

const parse = (contextManagement: unknown) =>
  parseAnthropicRequest({ model: 'fake/gpt', max_tokens: 50, messages: [{ role: 'user', content: 'x' }], context_management: contextManagement })

function refusal(contextManagement: unknown): GatewayError {
  try {
    parse(contextManagement)
  } catch (err) {
    if (err instanceof GatewayError) return err
    throw err
  }
  throw new Error('expected a refusal')
}

describe('Anthropic context_management → other providers', () => {
  it("clear_thinking_20251015 with keep 'all' (Claude Code's) is dropped and named", () => {
    const { degraded } = parse({ edits: [{ type: 'clear_thinking_20251015', keep: 'all' }] })
    expect(degraded).toEqual(['context_management (clear_thinking_20251015 keep=all: nothing to clear)'])
  })

  it('an empty edit list is dropped and named; null is nothing at all', () => {
    expect(parse({ edits: [] }).degraded).toEqual(['context_management (no edits)'])
    expect(parse(null).degraded).toEqual([])
  })

  it('edits that clear something are refused with a 400 naming the edit', () => {
    const cases: [unknown, string, RegExp][] = [
      [{ edits: [{ type: 'clear_tool_uses_20250919' }] }, 'context_management.edits.0', /clearing old tool uses and results \(clear_tool_uses_20250919\)/],
      [{ edits: [{ type: 'clear_thinking_20251015', keep: { type: 'thinking_turns', value: 2 } }] }, 'context_management.edits.0', /thinking blocks .*keep other than "all"/],
      // Without `keep` the API keeps only the last turn's thinking: not a no-op.
      [{ edits: [{ type: 'clear_thinking_20251015' }] }, 'context_management.edits.0', /clear_thinking_20251015/],
      [{ edits: [{ type: 'clear_thinking_20251015', keep: 'all' }, { type: 'clear_tool_uses_20250919', trigger: { type: 'input_tokens', value: 1 } }] }, 'context_management.edits.1', /clear_tool_uses_20250919/],
      [{ edits: [{ type: 'compact_20260112' }] }, 'context_management.edits.0', /strategy 'compact_20260112'/],
      [{ edits: [{ type: 'clear_thinking_20251015', keep: 'all', clear_at_least: { type: 'input_tokens', value: 5 } }] }, 'context_management.edits.0', /clear_thinking_20251015/],
      [{ edits: [], something_new: true }, 'context_management.something_new', /context-management setting/],
    ]
    for (const [value, param, message] of cases) {
      const err = refusal(value)
      expect(err.code).toBe('SY_ERR_REQUEST_UNTRANSLATABLE')
      expect(err.status).toBe(400)
      expect(err.options.param).toBe(param)
      expect(err.message).toMatch(message)
    }
  })

  it('a malformed context_management is an invalid request naming the field', () => {
    const err = refusal({ edits: 'all' })
    expect(err.code).toBe('SY_ERR_REQUEST_INVALID')
    expect(err.options.param).toBe('context_management.edits')
  })
})
