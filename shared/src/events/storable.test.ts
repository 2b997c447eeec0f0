import { describe, expect, it } from 'vitest'
import { REPLACEMENT_CHARACTER as R, storableJson, storableText } from './storable.ts'

describe('storableText', () => {
  it('replaces NUL and lone surrogates, and nothing else', () => {
    expect(storableText('gpt\u00004o')).toBe(`gpt${R}4o`)
    expect(storableText('\u0000\u0000')).toBe(`${R}${R}`)
    expect(storableText('cut emoji \ud83d')).toBe(`cut emoji ${R}`)
    expect(storableText('\ude80 tail')).toBe(`${R} tail`)
    expect(storableText('\ude80\ud83d')).toBe(`${R}${R}`)
    for (const fine of ['', 'plain', 'rocket 🚀', 'tab\tline\nbell\u0007', 'ünïcødé', '\\u0000 written out']) expect(storableText(fine)).toBe(fine)
  })
})

describe('storableJson', () => {
  it('cleans every string at any depth, object keys included', () => {
    const dirty = { a: 'x\u0000', list: [1, null, true, { deep: ['\ud800'] }], ['k\u0000']: 'v' }
    expect(storableJson(dirty)).toEqual({ a: `x${R}`, list: [1, null, true, { deep: [R] }], [`k${R}`]: 'v' })
    expect(dirty.a).toBe('x\u0000')
  })

  it('returns the value itself when it is already storable', () => {
    const clean = { a: 'x', list: [1, { deep: ['🚀'] }], when: new Date(0) }
    expect(storableJson(clean)).toBe(clean)
  })
})
