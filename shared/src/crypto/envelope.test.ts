import { describe, expect, it } from 'vitest'
import { open, providerCredentialAad, rewrap, seal, SealedSecret, SealedSecretError } from './envelope.ts'
import { buildKeyring, generateMasterKeyBase64, MasterKeyError } from './master-key.ts'

const keyA = generateMasterKeyBase64()
const keyB = generateMasterKeyBase64()
const aad = providerCredentialAad('team_1', 'prov_1')

describe('envelope encryption', () => {
  it('round-trips and never contains the plaintext', () => {
    const keyring = buildKeyring(keyA)
    const sealed = seal('sk-canary-1234567890', keyring, aad)
    expect(SealedSecret.parse(sealed)).toEqual(sealed)
    expect(JSON.stringify(sealed)).not.toContain('canary')
    expect(open(sealed, keyring, aad)).toBe('sk-canary-1234567890')
  })

  it('fails to open under another record or team (AAD binding)', () => {
    const keyring = buildKeyring(keyA)
    const sealed = seal('sk-secret', keyring, aad)
    expect(() => open(sealed, keyring, providerCredentialAad('team_1', 'prov_2'))).toThrow(SealedSecretError)
    expect(() => open(sealed, keyring, providerCredentialAad('team_2', 'prov_1'))).toThrow(SealedSecretError)
  })

  it('detects a tampered ciphertext', () => {
    const keyring = buildKeyring(keyA)
    const sealed = seal('sk-secret', keyring, aad)
    const ct = Buffer.from(sealed.ct, 'base64')
    ct[0] = (ct[0] ?? 0) ^ 1
    expect(() => open({ ...sealed, ct: ct.toString('base64') }, keyring, aad)).toThrow(SealedSecretError)
  })

  it('opens with a previous master key and rewraps under the current one', () => {
    const old = buildKeyring(keyA)
    const sealed = seal('sk-rotating', old, aad)
    const rotated = buildKeyring(keyB, [keyA])
    expect(open(sealed, rotated, aad)).toBe('sk-rotating')
    const rewrapped = rewrap(sealed, rotated, aad)
    expect(rewrapped.kid).toBe(rotated.current.kid)
    expect(open(rewrapped, buildKeyring(keyB), aad)).toBe('sk-rotating')
    expect(() => open(sealed, buildKeyring(keyB), aad)).toThrow(/no master key/)
  })

  it('rejects a master key that is not 32 bytes', () => {
    expect(() => buildKeyring(Buffer.alloc(16).toString('base64'))).toThrow(MasterKeyError)
  })
})
