import { type Keyring, open, providerCredentialAad, rewrap, SealedSecret, seal } from '@switchyard/shared/crypto'
import { virtualKeyHint } from '@switchyard/shared/keys'
import type { Db } from '../lib/db.server.ts'
import { listAllProviderConnectionsWithCredential, replaceProviderCredential } from '../models/provider-connection.server.ts'

// The only module that sees plaintext provider credentials: they are sealed here on write, and
// opened here only for "test connection" (the data plane opens them at snapshot load). The
// AAD binds each sealed value to its team and record: copied elsewhere, it fails to open.

/** An API key, or (bedrock) AWS access keys. */
export type ProviderSecret =
  | { kind: 'apiKey'; apiKey: string }
  | { kind: 'aws'; accessKeyId: string; secretAccessKey: string; sessionToken?: string | undefined }

export class CredentialUnavailableError extends Error {
  override name = 'CredentialUnavailableError'
}

/** The sealed plaintext: the key itself, or for bedrock the credential as a JSON string. */
function plaintextOf(secret: ProviderSecret): string {
  if (secret.kind === 'apiKey') return secret.apiKey
  const { accessKeyId, secretAccessKey, sessionToken } = secret
  return JSON.stringify(sessionToken ? { accessKeyId, secretAccessKey, sessionToken } : { accessKeyId, secretAccessKey })
}

export function sealProviderSecret(keyring: Keyring, where: { teamId: string; id: string }, secret: ProviderSecret) {
  return {
    credential: seal(plaintextOf(secret), keyring, providerCredentialAad(where.teamId, where.id)),
    keyHint: virtualKeyHint(secret.kind === 'apiKey' ? secret.apiKey : secret.accessKeyId),
  }
}

/** Kept for callers that seal a plain API key. */
export function sealProviderKey(keyring: Keyring, where: { teamId: string; id: string }, apiKey: string) {
  return sealProviderSecret(keyring, where, { kind: 'apiKey', apiKey })
}

/**
 * Opens a stored credential of record `where`. Throws CredentialUnavailableError (never the
 * cause, which could only be a foreign row, a tampered value or a missing master key).
 */
export function openProviderSecret(keyring: Keyring, where: { teamId: string; id: string; type: string }, stored: unknown): ProviderSecret {
  let plaintext: string
  try {
    plaintext = open(SealedSecret.parse(stored), keyring, providerCredentialAad(where.teamId, where.id))
  } catch {
    throw new CredentialUnavailableError('the stored credential could not be opened')
  }
  if (where.type !== 'bedrock') return { kind: 'apiKey', apiKey: plaintext }
  try {
    const parsed = JSON.parse(plaintext) as { accessKeyId?: unknown; secretAccessKey?: unknown; sessionToken?: unknown }
    if (typeof parsed.accessKeyId === 'string' && typeof parsed.secretAccessKey === 'string') {
      const sessionToken = typeof parsed.sessionToken === 'string' ? parsed.sessionToken : undefined
      return { kind: 'aws', accessKeyId: parsed.accessKeyId, secretAccessKey: parsed.secretAccessKey, sessionToken }
    }
  } catch {
    // fall through: not a credential document
  }
  throw new CredentialUnavailableError('the stored credential is not an AWS credential')
}

/** Re-wraps every credential's data key under the current master key; returns how many changed. */
export async function rewrapAllProviderCredentials(db: Db, keyring: Keyring): Promise<number> {
  const rows = await listAllProviderConnectionsWithCredential(db)
  let rewrapped = 0
  for (const row of rows) {
    const sealed = SealedSecret.parse(row.credential)
    if (sealed.kid === keyring.current.kid) continue
    const next = rewrap(sealed, keyring, providerCredentialAad(row.teamId, row.id))
    await replaceProviderCredential(db, row.id, next)
    rewrapped++
  }
  return rewrapped
}
