import { describe, expect, it } from 'vitest'
import { isValidModelString, MODEL_MAX_LENGTH, nestsDeeperThan } from './body-bounds.ts'

function nested(depth: number): object {
  let value: object = {}
  for (let i = 1; i < depth; i++) value = i % 2 ? [value] : { a: value }
  return value
}

describe('nestsDeeperThan', () => {
  it('counts the root as depth 1 and both objects and arrays as levels', () => {
    expect(nestsDeeperThan(nested(5), 5)).toBe(false)
    expect(nestsDeeperThan(nested(6), 5)).toBe(true)
    expect(nestsDeeperThan({ a: 'x'.repeat(10), b: [1, 2, 3], c: null }, 2)).toBe(false)
  })

  it('is not fooled by a wide body and leaves no state behind after an early exit', () => {
    const wide = { items: Array.from({ length: 10_000 }, () => ({ x: [1] })) }
    expect(nestsDeeperThan(wide, 4)).toBe(false)
    expect(nestsDeeperThan(nested(200), 128)).toBe(true)
    expect(nestsDeeperThan({ shallow: true }, 1)).toBe(false)
  })
})

describe('isValidModelString', () => {
  it('accepts printable ASCII up to the limit and nothing else', () => {
    expect(isValidModelString('bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0')).toBe(true)
    expect(isValidModelString('a'.repeat(MODEL_MAX_LENGTH))).toBe(true)
    expect(isValidModelString('a'.repeat(MODEL_MAX_LENGTH + 1))).toBe(false)
    for (const bad of ['', 'a b', 'a\tb', 'a\nb', 'a\u007fb', 'caf\u00e9', 'a\u20acb']) expect(isValidModelString(bad)).toBe(false)
  })
})
