import type { DbClient } from '../lib/db.server.ts'

// Signups waiting for their email link (pending_signups). Only the token's SHA-256 is stored.

export interface PendingSignupData {
  id: string
  email: string
  name: string
  teamName: string
  passwordHash: string
  redirectTo: string | null
  tokenHash: string
  expiresAt: Date
}

export async function createPendingSignup(db: DbClient, data: PendingSignupData): Promise<void> {
  // Housekeeping on the way: links that ended are never needed again.
  await db.pendingSignup.deleteMany({ where: { expiresAt: { lt: new Date() } } })
  await db.pendingSignup.create({ data, select: { id: true } })
}

/** Removes and returns the unexpired signup behind `tokenHash`; exactly one caller wins. */
export async function takePendingSignup(db: DbClient, tokenHash: string, now: Date) {
  const row = await db.pendingSignup.findUnique({
    where: { tokenHash },
    select: { id: true, email: true, name: true, teamName: true, passwordHash: true, redirectTo: true, expiresAt: true },
  })
  if (!row || row.expiresAt.getTime() <= now.getTime()) return null
  const { count } = await db.pendingSignup.deleteMany({ where: { id: row.id } })
  return count === 1 ? row : null
}
