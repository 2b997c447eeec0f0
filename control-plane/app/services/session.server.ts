import { sha256 } from '@oslojs/crypto/sha2'
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding'
import type { DbClient } from '../lib/db.server.ts'
import {
  createSessionRow,
  deleteSession,
  deleteSessionsOfUser,
  extendSession,
  findSessionWithUser,
} from '../models/session.server.ts'

// Console sessions, as lucia-auth.com's guide prescribes (docs/decisions/004-sessions.md):
// the browser holds a random token, the database holds only SHA-256(token) as the session id.
// Two clocks: a sliding inactivity expiry (extended once less than half of it remains) and an
// absolute lifetime that never extends.

export const SESSION_INACTIVITY_MS = 7 * 24 * 60 * 60 * 1000
export const SESSION_ABSOLUTE_MS = 30 * 24 * 60 * 60 * 1000

const TOKEN_PATTERN = /^[a-z2-7]{32}$/

export interface SessionUser {
  id: string
  email: string
  name: string
  emailVerifiedAt: Date | null
}

export interface ValidSession {
  id: string
  userId: string
  expiresAt: Date
  absoluteExpiresAt: Date
  activeTeamId: string | null
}

/** 20 random bytes (160 bits), base32 lower-case without padding: 32 characters. */
export function generateSessionToken(): string {
  const bytes = new Uint8Array(20)
  crypto.getRandomValues(bytes)
  return encodeBase32LowerCaseNoPadding(bytes)
}

export function sessionIdFromToken(token: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(token)))
}

export interface NewSessionInput {
  userId: string
  ip?: string | null
  userAgent?: string | null
  activeTeamId?: string | null
  now?: Date
}

export async function createSession(db: DbClient, input: NewSessionInput): Promise<{ token: string; session: ValidSession }> {
  const now = input.now ?? new Date()
  const token = generateSessionToken()
  const row = await createSessionRow(db, {
    id: sessionIdFromToken(token),
    userId: input.userId,
    createdAt: now,
    expiresAt: new Date(now.getTime() + SESSION_INACTIVITY_MS),
    absoluteExpiresAt: new Date(now.getTime() + SESSION_ABSOLUTE_MS),
    ip: input.ip?.slice(0, 64) ?? null,
    userAgent: input.userAgent?.slice(0, 512) ?? null,
    activeTeamId: input.activeTeamId ?? null,
  })
  return { token, session: pickSession(row) }
}

function pickSession(row: ValidSession): ValidSession {
  const { id, userId, expiresAt, absoluteExpiresAt, activeTeamId } = row
  return { id, userId, expiresAt, absoluteExpiresAt, activeTeamId }
}

/**
 * The session and user a token stands for, or null. An expired session is deleted; a live one
 * whose inactivity expiry is less than half away is pushed out (never past its absolute end).
 */
export async function validateSessionToken(
  db: DbClient,
  token: string,
  now: Date = new Date(),
): Promise<{ session: ValidSession; user: SessionUser } | null> {
  // Malformed tokens never reach the database.
  if (!TOKEN_PATTERN.test(token)) return null
  const row = await findSessionWithUser(db, sessionIdFromToken(token))
  if (!row) return null
  const t = now.getTime()
  if (t >= row.expiresAt.getTime() || t >= row.absoluteExpiresAt.getTime()) {
    await deleteSession(db, row.id)
    return null
  }
  let expiresAt = row.expiresAt
  if (expiresAt.getTime() - t < SESSION_INACTIVITY_MS / 2) {
    expiresAt = new Date(Math.min(t + SESSION_INACTIVITY_MS, row.absoluteExpiresAt.getTime()))
    await extendSession(db, row.id, { expiresAt, lastActiveAt: now })
  }
  return { session: { ...pickSession(row), expiresAt }, user: row.user }
}

export async function invalidateSession(db: DbClient, sessionId: string): Promise<void> {
  await deleteSession(db, sessionId)
}

/** Ends every session of the user, or all but `exceptSessionId`; returns how many ended. */
export async function invalidateUserSessions(db: DbClient, userId: string, exceptSessionId?: string): Promise<number> {
  const { count } = await deleteSessionsOfUser(db, userId, exceptSessionId)
  return count
}
