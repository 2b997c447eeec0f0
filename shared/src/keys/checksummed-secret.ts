import { createHash } from 'node:crypto'
import { base62FromNumber, randomBase62 } from '../ids.ts'

// A secret is `<prefix>` + 32 random base62 characters (≈190 bits) + 6 base62 characters of the
// CRC32 of the random part. The checksum lets us reject typos and garbage before any lookup.
const RANDOM_LENGTH = 32
const CHECKSUM_LENGTH = 6

const CRC_TABLE = (() => {
  const table = new Uint32Array(256)
  for (let n = 0; n < 256; n++) {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    table[n] = c >>> 0
  }
  return table
})()

export function crc32(text: string): number {
  let crc = 0xffffffff
  for (const byte of Buffer.from(text, 'utf8')) {
    crc = (CRC_TABLE[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8)
  }
  return (crc ^ 0xffffffff) >>> 0
}

export function mintChecksummedSecret(prefix: string): string {
  const random = randomBase62(RANDOM_LENGTH)
  return `${prefix}${random}${base62FromNumber(crc32(random), CHECKSUM_LENGTH)}`
}

export function isChecksummedSecret(prefix: string, value: string): boolean {
  const body = value.slice(prefix.length)
  if (!value.startsWith(prefix) || body.length !== RANDOM_LENGTH + CHECKSUM_LENGTH) return false
  if (!/^[A-Za-z0-9]+$/.test(body)) return false
  const random = body.slice(0, RANDOM_LENGTH)
  return body.slice(RANDOM_LENGTH) === base62FromNumber(crc32(random), CHECKSUM_LENGTH)
}

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex')
}

export function secretHint(value: string): string {
  return value.slice(-4)
}
