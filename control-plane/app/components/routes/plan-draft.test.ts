import { describe, expect, it } from 'vitest'
import { convertNode, getAt, lineDiff, setAt } from './plan-draft.ts'

describe('route editor draft helpers', () => {
  it('sets, removes and reads values at a JSON path without touching the original', () => {
    const plan = { type: 'fallback', children: [{ type: 'target', model: 'a/x' }, { type: 'target', model: 'b/y' }] }
    const edited = setAt(plan, ['children', 1, 'model'], 'c/z')
    expect(getAt(edited, ['children', 1, 'model'])).toBe('c/z')
    expect(plan.children[1]?.model).toBe('b/y')
    expect(setAt(plan, ['children', 0], undefined)).toEqual({ type: 'fallback', children: [{ type: 'target', model: 'b/y' }] })
  })

  it('turns a target into a strategy holding it, keeping its weight at its position', () => {
    expect(convertNode({ type: 'target', model: 'a/x', weight: 2, retries: 1 }, 'fallback', 'a')).toEqual({
      type: 'fallback',
      children: [{ type: 'target', model: 'a/x', retries: 1 }],
      weight: 2,
    })
  })

  it('diffs lines, removals before additions', () => {
    expect(lineDiff('a\nb\nc', 'a\nB\nc')).toEqual([
      { kind: 'same', text: 'a' },
      { kind: 'removed', text: 'b' },
      { kind: 'added', text: 'B' },
      { kind: 'same', text: 'c' },
    ])
  })
})
