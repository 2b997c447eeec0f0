import { isChecksummedSecret, mintChecksummedSecret, secretHint, sha256Hex } from './checksummed-secret.ts'

export const VIRTUAL_KEY_PREFIX = 'sy-'
export const VIRTUAL_KEY_REGEX = /^sy-[A-Za-z0-9]{38}$/

export function generateVirtualKey(): string {
  return mintChecksummedSecret(VIRTUAL_KEY_PREFIX)
}

/** Format and checksum only: no I/O, so garbage is rejected before any database or Redis access. */
export function isWellFormedVirtualKey(value: string): boolean {
  return VIRTUAL_KEY_REGEX.test(value) && isChecksummedSecret(VIRTUAL_KEY_PREFIX, value)
}

export function hashVirtualKey(key: string): string {
  return sha256Hex(key)
}

export const virtualKeyHint = secretHint
