import type { DbClient } from '../lib/db.server.ts'

// One-time email links (verification, password reset), stored as the SHA-256 of the token.

export type EmailTokenPurpose = 'verify_email' | 'reset_password'

export function createEmailToken(
  db: DbClient,
  data: { id: string; userId: string; purpose: EmailTokenPurpose; tokenHash: string; expiresAt: Date },
) {
  return db.emailToken.create({ data, select: { id: true, expiresAt: true } })
}

/** The unused, unexpired token's user, without consuming it (the reset form's GET). */
export async function findUsableEmailToken(db: DbClient, where: { tokenHash: string; purpose: EmailTokenPurpose; now: Date }) {
  return db.emailToken.findFirst({
    where: { tokenHash: where.tokenHash, purpose: where.purpose, usedAt: null, expiresAt: { gt: where.now } },
    select: { id: true, userId: true },
  })
}

/** Marks the token used if it still is usable; exactly one caller wins. Returns its user or null. */
export async function consumeEmailToken(db: DbClient, where: { tokenHash: string; purpose: EmailTokenPurpose; now: Date }) {
  const token = await findUsableEmailToken(db, where)
  if (!token) return null
  const { count } = await db.emailToken.updateMany({
    where: { id: token.id, usedAt: null, expiresAt: { gt: where.now } },
    data: { usedAt: where.now },
  })
  return count === 1 ? { userId: token.userId } : null
}

/** Retires a user's outstanding links of one purpose (a new reset link voids older ones). */
export function retireEmailTokens(db: DbClient, userId: string, purpose: EmailTokenPurpose, now: Date) {
  return db.emailToken.updateMany({ where: { userId, purpose, usedAt: null }, data: { usedAt: now } })
}
