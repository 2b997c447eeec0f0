import { isChecksummedSecret, mintChecksummedSecret, secretHint, sha256Hex } from './checksummed-secret.ts'

// Admin API tokens look different from virtual keys on purpose: pasting one where the other
// belongs fails the format check instead of reaching a lookup.
export const ADMIN_TOKEN_PREFIX = 'syadm-'

export function generateAdminToken(): string {
  return mintChecksummedSecret(ADMIN_TOKEN_PREFIX)
}

export function isWellFormedAdminToken(value: string): boolean {
  return isChecksummedSecret(ADMIN_TOKEN_PREFIX, value)
}

export function hashAdminToken(token: string): string {
  return sha256Hex(token)
}

export const adminTokenHint = secretHint
