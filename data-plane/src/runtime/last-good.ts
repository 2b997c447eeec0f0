import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

// The last snapshot this replica accepted, kept on local disk so it can serve while Redis is
// unreachable at boot. It holds credential ciphertext only (opened in memory at load), and is
// still written 0600. Writes are atomic: a temp file renamed over the old one.

export const LAST_GOOD_FILE = 'snapshot.json'

export function lastGoodPath(dataDir: string): string {
  return join(dataDir, LAST_GOOD_FILE)
}

export async function readLastGood(dataDir: string): Promise<string | null> {
  try {
    return await readFile(lastGoodPath(dataDir), 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw err
  }
}

export async function writeLastGood(dataDir: string, json: string): Promise<void> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 })
  const target = lastGoodPath(dataDir)
  const temp = `${target}.${process.pid}.${Date.now()}.tmp`
  await writeFile(temp, json, { mode: 0o600 })
  await rename(temp, target)
}
