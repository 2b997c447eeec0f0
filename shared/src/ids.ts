import { randomBytes } from 'node:crypto'

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'

// CSPRNG bytes drawn in blocks: one randomBytes call per few hundred ids instead of one per id
// (a request id is minted on every gateway request). The bytes are as random either way.
const POOL_SIZE = 8192
let pool = Buffer.alloc(0)
let offset = 0

function randomByte(): number {
  if (offset >= pool.length) {
    pool = randomBytes(POOL_SIZE)
    offset = 0
  }
  return pool[offset++] as number
}

/** Uniform base62 string of `length` characters (rejection sampling, no modulo bias). */
export function randomBase62(length: number): string {
  let out = ''
  while (out.length < length) {
    const b = randomByte()
    if (b < 248) out += ALPHABET[b % 62]
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
  pendingSignup: 'psig',
  route: 'route',
  routeVersion: 'rver',
} as const

export type IdKind = keyof typeof ID_PREFIXES

export function newId(kind: IdKind): string {
  return `${ID_PREFIXES[kind]}_${randomBase62(22)}`
}
