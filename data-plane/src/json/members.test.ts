import { describe, expect, it } from 'vitest'
import { mulberry32 } from '../testing/rechunk.ts'
import { pickMembers, replaceMembers } from './members.ts'

const replace = (text: string, replacements: Record<string, string>) => replaceMembers(Buffer.from(text), replacements)?.toString('utf8') ?? null

describe('replaceMembers', () => {
  it('replaces a top-level value in place, every other byte as it was', () => {
    const text = '{ "temperature" : 1.0,\n  "model":"conn/gpt-4o" , "seed": 1e3, "content": "caf\\u00e9 \\"q\\" \\\\" }'
    expect(replace(text, { model: '"gpt-4o"' })).toBe(text.replace('"conn/gpt-4o"', '"gpt-4o"'))
  })

  it('leaves nested members and look-alike strings alone', () => {
    const text = JSON.stringify({
      messages: [{ role: 'user', content: 'set "model": "x" please', model: 'nested' }],
      tools: [{ function: { name: 'f', parameters: { properties: { model: { type: 'string' } } } } }],
      'a\\"model': 1,
      model: 'conn/m',
    })
    const out = replace(text, { model: '"m"' })
    expect(out).toBe(text.replace('"model":"conn/m"', '"model":"m"'))
    expect(JSON.parse(out ?? '')).toEqual({ ...JSON.parse(text), model: 'm' })
  })

  it('replaces every duplicate (JSON.parse keeps the last one, the upstream might keep the first)', () => {
    expect(replace('{"model":"a/1","x":1,"model":"a/2"}', { model: '"m"' })).toBe('{"model":"m","x":1,"model":"m"}')
  })

  it('recognizes an escaped key the way JSON.parse does', () => {
    const out = replace('{"mod\\u0065l":"conn/m","n":1}', { model: '"m"' })
    expect(JSON.parse(out ?? '')).toEqual({ model: 'm', n: 1 })
  })

  it('adds a missing member at the front', () => {
    expect(replace('{"stream":true}', { stream_options: '{"include_usage":true}' })).toBe('{"stream_options":{"include_usage":true},"stream":true}')
    expect(replace(' { } ', { model: '"m"' })).toBe(' {"model":"m" } ')
  })

  it('replaces values of every kind: objects, arrays, numbers, literals', () => {
    const text = '{"a":{"x":[1,{"y":"}"}]},"b":[[],{}],"c":-1.5e-3,"d":null,"e":true}'
    const out = replace(text, { a: '1', b: '2', c: '3', d: '4', e: '5' })
    expect(out).toBe('{"a":1,"b":2,"c":3,"d":4,"e":5}')
  })

  it('refuses what is not a JSON object', () => {
    expect(replace('[1,2]', { model: '"m"' })).toBeNull()
    expect(replace('"model"', { model: '"m"' })).toBeNull()
    expect(replace('{"model": "unterminated', { model: '"m"' })).toBeNull()
    expect(replace('{"model" 1}', { model: '"m"' })).toBeNull()
  })

  it('agrees with parse-and-serialize on random bodies (property)', () => {
    const random = mulberry32(7)
    const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)] as T
    const value = (depth: number): unknown => {
      const kind = Math.floor(random() * (depth > 2 ? 4 : 6))
      if (kind === 0) return pick(['', 'model', '"quoted"', 'back\\slash', '}{][', 'ünï 🚀', '\\"model\\":'])
      if (kind === 1) return Math.round(random() * 1e6) / 100
      if (kind === 2) return pick([true, false, null])
      if (kind === 3) return -7
      if (kind === 4) return Array.from({ length: Math.floor(random() * 4) }, () => value(depth + 1))
      return Object.fromEntries(Array.from({ length: Math.floor(random() * 4) }, (_, i) => [pick(['model', 'k', 'stream_options', `f${i}`]), value(depth + 1)]))
    }
    for (let i = 0; i < 500; i++) {
      const body = { ...(value(0) as object), messages: [value(1)], model: 'conn/x' }
      const text = random() < 0.5 ? JSON.stringify(body) : JSON.stringify(body, null, pick([1, 2, '\t']))
      const out = replace(text, { model: '"x"', stream_options: '{"include_usage":true}' })
      expect(JSON.parse(out ?? ''), text).toEqual({ ...JSON.parse(text), model: 'x', stream_options: { include_usage: true } })
    }
  })
})

describe('pickMembers', () => {
  it('parses the last top-level occurrence of each named member, and nothing else', () => {
    expect(pickMembers(Buffer.from('{"usage":null,"x":{"usage":1},"usage":{"a": 1}}'), ['usage'])).toEqual({ usage: { a: 1 } })
    expect(pickMembers(Buffer.from('{"x":1}'), ['usage'])).toEqual({})
    expect(pickMembers(Buffer.from('[1]'), ['usage'])).toBeNull()
  })
})
