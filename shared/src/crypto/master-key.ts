import { createHash, randomBytes } from 'node:crypto'

export interface MasterKey {
  /** Stable id of the key (not secret): lets a sealed record name the key that wraps it. */
  kid: string
  key: Buffer
}

export interface Keyring {
  current: MasterKey
  /** Older keys still accepted for unwrapping during a rotation. */
  previous: MasterKey[]
}

export class MasterKeyError extends Error {
  override name = 'MasterKeyError'
}

export function parseMasterKey(base64: string): MasterKey {
  const key = Buffer.from(base64.trim(), 'base64')
  if (key.length !== 32) {
    throw new MasterKeyError('a master key must be 32 bytes, base64-encoded (e.g. `openssl rand -base64 32`)')
  }
  return { kid: createHash('sha256').update(key).digest('hex').slice(0, 16), key }
}

export function generateMasterKeyBase64(): string {
  return randomBytes(32).toString('base64')
}

export function buildKeyring(current: string, previous: readonly string[] = []): Keyring {
  return { current: parseMasterKey(current), previous: previous.filter((k) => k.trim() !== '').map(parseMasterKey) }
}

export function findMasterKey(keyring: Keyring, kid: string): MasterKey | undefined {
  if (keyring.current.kid === kid) return keyring.current
  return keyring.previous.find((k) => k.kid === kid)
}
