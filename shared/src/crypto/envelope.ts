import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { z } from 'zod'
import { findMasterKey, type Keyring } from './master-key.ts'

// Envelope encryption: each record gets its own random data key; the data key is wrapped by
// the master key. Both layers are AES-256-GCM and both authenticate the same AAD, which binds
// the ciphertext to its team and record: a sealed value copied to another row fails to open.

const b64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/)

const GcmBox = z.object({ iv: b64, tag: b64, ct: b64 })
type GcmBox = z.infer<typeof GcmBox>

export const SealedSecret = z.object({
  v: z.literal(1),
  alg: z.literal('A256GCM'),
  kid: z.string().min(1),
  dk: GcmBox,
  iv: b64,
  tag: b64,
  ct: b64,
})
export type SealedSecret = z.infer<typeof SealedSecret>

export class SealedSecretError extends Error {
  override name = 'SealedSecretError'
}

export function providerCredentialAad(teamId: string, recordId: string): string {
  return `switchyard/provider-credential/v1/${teamId}/${recordId}`
}

function encrypt(key: Buffer, plaintext: Buffer, aad: string): GcmBox {
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', key, iv)
  cipher.setAAD(Buffer.from(aad, 'utf8'))
  const ct = Buffer.concat([cipher.update(plaintext), cipher.final()])
  return { iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), ct: ct.toString('base64') }
}

function decrypt(key: Buffer, box: GcmBox, aad: string): Buffer {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(box.iv, 'base64'))
    decipher.setAAD(Buffer.from(aad, 'utf8'))
    decipher.setAuthTag(Buffer.from(box.tag, 'base64'))
    return Buffer.concat([decipher.update(Buffer.from(box.ct, 'base64')), decipher.final()])
  } catch {
    // Never echo the cause: it can only be a wrong key, a tampered box or a foreign AAD.
    throw new SealedSecretError('sealed secret failed authentication')
  }
}

export function seal(plaintext: string, keyring: Keyring, aad: string): SealedSecret {
  const dataKey = randomBytes(32)
  try {
    const body = encrypt(dataKey, Buffer.from(plaintext, 'utf8'), aad)
    const dk = encrypt(keyring.current.key, dataKey, aad)
    return { v: 1, alg: 'A256GCM', kid: keyring.current.kid, dk, ...body }
  } finally {
    dataKey.fill(0)
  }
}

export function open(sealed: SealedSecret, keyring: Keyring, aad: string): string {
  const master = findMasterKey(keyring, sealed.kid)
  if (!master) throw new SealedSecretError(`no master key with id ${sealed.kid} is configured`)
  const dataKey = decrypt(master.key, sealed.dk, aad)
  try {
    return decrypt(dataKey, sealed, aad).toString('utf8')
  } finally {
    dataKey.fill(0)
  }
}

/** Re-wraps the data key under the current master key; the body ciphertext is untouched. */
export function rewrap(sealed: SealedSecret, keyring: Keyring, aad: string): SealedSecret {
  if (sealed.kid === keyring.current.kid) return sealed
  const master = findMasterKey(keyring, sealed.kid)
  if (!master) throw new SealedSecretError(`no master key with id ${sealed.kid} is configured`)
  const dataKey = decrypt(master.key, sealed.dk, aad)
  try {
    return { ...sealed, kid: keyring.current.kid, dk: encrypt(keyring.current.key, dataKey, aad) }
  } finally {
    dataKey.fill(0)
  }
}
