import type { DbClient } from '../lib/db.server.ts'
import { deleteThrottleBucket, findThrottleBucket, hitThrottleBucket } from '../models/throttle.server.ts'
import { bucketKey, consumeAttempt, type ThrottleResult, THROTTLES } from './throttle.server.ts'

// Login throttling that an attacker cannot turn against the account's owner (G-SEC-09).
//
// A lock keyed by the account alone lets anyone lock anyone out by typing wrong passwords.
// Like Auth0's brute-force protection and OWASP's "device cookie" scheme, the strict limit is
// keyed by account *and* source, so a guesser exhausts only their own pair:
//   1. per source IP, over all accounts: 30 attempts / 15 min (credential stuffing);
//   2. per account + source IP: 10 / 15 min; a successful login clears it;
//   3. per account, over the sources that never logged in to it: 100 / hour. It caps the
//      Argon2 work one account can cost even from many sources, and is only counted once (1)
//      and (2) admitted the attempt, so one guessing source can never fill it. A source that
//      logged in to the account in the last 30 days skips it: the owner's usual address keeps
//      working during a distributed attack.
// Each check stops at the first refusal, and every limit is a window: the correct password
// works again when it ends (no permanent lockout). Refusals come before any Argon2 work.

const KNOWN_SOURCE_MS = 30 * 24 * 60 * 60 * 1000
const KNOWN_SOURCE = 'login:known-source'

export interface LoginSource {
  email: string
  ip: string
}

function pair(who: LoginSource): string {
  return `${who.email.trim().toLowerCase()}\n${who.ip}`
}

function knownSourceKey(who: LoginSource): string {
  return bucketKey({ name: KNOWN_SOURCE, limit: 0, windowMs: KNOWN_SOURCE_MS }, pair(who))
}

async function isKnownSource(db: DbClient, who: LoginSource, now: Date): Promise<boolean> {
  const marker = await findThrottleBucket(db, knownSourceKey(who))
  return marker !== null && now.getTime() - marker.windowStart.getTime() < KNOWN_SOURCE_MS
}

/** Counts one login attempt; refused → answer 429 without checking the password. */
export async function admitLoginAttempt(db: DbClient, who: LoginSource, now: Date = new Date()): Promise<ThrottleResult> {
  const ip = await consumeAttempt(db, THROTTLES.loginIp, who.ip, now)
  if (!ip.allowed) return ip
  const source = await consumeAttempt(db, THROTTLES.loginSource, pair(who), now)
  if (!source.allowed) return source
  if (await isKnownSource(db, who, now)) return { allowed: true }
  return consumeAttempt(db, THROTTLES.loginAccount, who.email, now)
}

/** After a correct password: the pair's count starts over and the source becomes known. */
export async function recordLoginSuccess(db: DbClient, who: LoginSource, now: Date = new Date()): Promise<void> {
  await deleteThrottleBucket(db, bucketKey(THROTTLES.loginSource, pair(who)))
  const key = knownSourceKey(who)
  // A fresh 30-day window from this login (an expired marker would otherwise just count on).
  await deleteThrottleBucket(db, key)
  await hitThrottleBucket(db, { key, now, windowMs: KNOWN_SOURCE_MS })
}
