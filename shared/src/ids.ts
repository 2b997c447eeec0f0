import { randomBytes } from 'node:crypto'

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'

/** Uniform base62 string of `length` characters (rejection sampling, no modulo bias). */
export function randomBase62(length: number): string {
  let out = ''
  while (out.length < length) {
    const bytes = randomBytes(length * 2)
    for (const b of bytes) {
      if (b < 248 && out.length < length) out += ALPHABET[b % 62]
    }
  }
  return out
}

export function base62FromNumber(value: number, width: number): string {
  let n = value
  let out = ''
  for (let i = 0; i < width; i++) {
    out = ALPHABET[n % 62] + out
    n = Math.floor(n / 62)
  }
  return out
}

/** Resource ids are prefixed so a log line says what it points at: `prov_…`, `vk_…`, `team_…`. */
export const ID_PREFIXES = {
  user: 'user',
  team: 'team',
  membership: 'mem',
  adminToken: 'tok',
  provider: 'prov',
  virtualKey: 'vk',
  requestLog: 'log',
  audit: 'aud',
  invite: 'inv',
  session: 'sess',
  emailToken: 'etok',
  request: 'req',
} as const

export type IdKind = keyof typeof ID_PREFIXES

export function newId(kind: IdKind): string {
  return `${ID_PREFIXES[kind]}_${randomBase62(22)}`
}
