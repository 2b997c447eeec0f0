import { describe, expect, it } from 'vitest'
import { generateAdminToken, isWellFormedAdminToken } from './admin-token.ts'
import { generateVirtualKey, hashVirtualKey, isWellFormedVirtualKey, VIRTUAL_KEY_REGEX } from './virtual-key.ts'

describe('virtual keys', () => {
  it('mints keys in the CONTRACT.md format that pass their own checksum', () => {
    const keys = new Set(Array.from({ length: 200 }, generateVirtualKey))
    expect(keys.size).toBe(200)
    for (const key of keys) {
      expect(key).toMatch(VIRTUAL_KEY_REGEX)
      expect(isWellFormedVirtualKey(key)).toBe(true)
    }
  })

  it('rejects a key with one character changed (checksum)', () => {
    const key = generateVirtualKey()
    const last = key.at(5) === 'a' ? 'b' : 'a'
    const typo = key.slice(0, 5) + last + key.slice(6)
    expect(isWellFormedVirtualKey(typo)).toBe(false)
  })

  it('rejects wrong prefix, length and alphabet', () => {
    const key = generateVirtualKey()
    expect(isWellFormedVirtualKey(key.replace('sy-', 'sk-'))).toBe(false)
    expect(isWellFormedVirtualKey(key + 'a')).toBe(false)
    expect(isWellFormedVirtualKey(key.slice(0, -1) + '-')).toBe(false)
    expect(isWellFormedVirtualKey('')).toBe(false)
  })

  it('hashes to SHA-256 hex, never the key itself', () => {
    const key = generateVirtualKey()
    const hash = hashVirtualKey(key)
    expect(hash).toMatch(/^[0-9a-f]{64}$/)
    expect(hash).not.toContain(key.slice(3, 12))
  })

  it('admin tokens are a distinct, checksummed format', () => {
    const token = generateAdminToken()
    expect(isWellFormedAdminToken(token)).toBe(true)
    expect(isWellFormedVirtualKey(token)).toBe(false)
    expect(isWellFormedAdminToken(generateVirtualKey())).toBe(false)
  })
})
