import { type Algorithm, hash, verify } from '@node-rs/argon2'

// Argon2id with OWASP's minimum parameters (m=19 MiB, t=2, p=1).
const ARGON2ID = 2 as Algorithm
const OPTIONS = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 }

export const PASSWORD_MIN_LENGTH = 8
export const PASSWORD_MAX_LENGTH = 256

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS)
}

export function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  return verify(passwordHash, password).catch(() => false)
}

/** True when a stored hash is not Argon2id or uses weaker parameters than today's (rehash on login). */
export function needsRehash(passwordHash: string): boolean {
  const match = /^\$argon2id\$v=(\d+)\$m=(\d+),t=(\d+),p=(\d+)\$/.exec(passwordHash)
  if (!match) return true
  const [, version, m, t, p] = match.map(Number) as [number, number, number, number, number]
  return version < 19 || m < OPTIONS.memoryCost || t < OPTIONS.timeCost || p !== OPTIONS.parallelism
}
