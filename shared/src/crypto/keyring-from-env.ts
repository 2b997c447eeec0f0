import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { SwitchyardEnv } from '../env.ts'
import { buildKeyring, generateMasterKeyBase64, type Keyring, MasterKeyError } from './master-key.ts'

export const MASTER_KEY_FILE = 'master.key'

/**
 * The vault's keyring: SWITCHYARD_MASTER_KEY when set; in production it is required. Outside
 * production the embedded default keeps a generated key in the data dir (mode 0600), created
 * on first use when `generate` is true (the control plane) and only read otherwise.
 */
export function keyringFromEnv(
  env: Pick<SwitchyardEnv, 'SWITCHYARD_MASTER_KEY' | 'SWITCHYARD_PREVIOUS_MASTER_KEYS' | 'production'>,
  dataDir: string,
  options: { generate: boolean },
): Keyring {
  const previous = env.SWITCHYARD_PREVIOUS_MASTER_KEYS
  if (env.SWITCHYARD_MASTER_KEY) return buildKeyring(env.SWITCHYARD_MASTER_KEY, previous)
  if (env.production) {
    throw new MasterKeyError(
      'SWITCHYARD_MASTER_KEY is required when NODE_ENV=production (32 bytes, base64: `openssl rand -base64 32`)',
    )
  }
  const file = join(dataDir, MASTER_KEY_FILE)
  if (!existsSync(file)) {
    if (!options.generate) {
      throw new MasterKeyError(`no SWITCHYARD_MASTER_KEY and no generated key at ${file}: start the control plane first or set the variable`)
    }
    mkdirSync(dataDir, { recursive: true })
    writeFileSync(file, `${generateMasterKeyBase64()}\n`, { mode: 0o600, flag: 'wx' })
  }
  chmodSync(file, 0o600)
  return buildKeyring(readFileSync(file, 'utf8'), previous)
}
