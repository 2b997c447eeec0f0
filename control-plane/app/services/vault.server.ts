import { type Keyring, providerCredentialAad, rewrap, SealedSecret, seal } from '@switchyard/shared/crypto'
import { virtualKeyHint } from '@switchyard/shared/keys'
import type { Db } from '../lib/db.server.ts'
import { listAllProviderConnectionsWithCredential, replaceProviderCredential } from '../models/provider-connection.server.ts'

// The only module that sees plaintext provider keys: they are sealed here on write and
// never opened by the control plane (the data plane opens them at snapshot load).

export function sealProviderKey(keyring: Keyring, where: { teamId: string; id: string }, apiKey: string) {
  return {
    credential: seal(apiKey, keyring, providerCredentialAad(where.teamId, where.id)),
    keyHint: virtualKeyHint(apiKey),
  }
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
