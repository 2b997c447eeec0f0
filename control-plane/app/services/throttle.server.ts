import { sha256 } from '@oslojs/crypto/sha2'
import { encodeHexLowerCase } from '@oslojs/encoding'
import type { DbClient } from '../lib/db.server.ts'
import { deleteThrottleBucket, hitThrottleBucket } from '../models/throttle.server.ts'

// Attempt throttling for login, signup and password reset, per account and per IP, in fixed
// windows (throttle_buckets). Never a permanent lockout: a window ends and counting restarts;
// a successful login clears the account's counter.

export interface ThrottlePolicy {
  name: string
  limit: number
  windowMs: number
}

const MINUTE = 60_000

export const THROTTLES = {
  // Login (login-throttle.server.ts): per account *and* source, per source, and an hourly cap
  // per account over the sources that never logged in to it.
  loginSource: { name: 'login:account-ip', limit: 10, windowMs: 15 * MINUTE },
  loginIp: { name: 'login:ip', limit: 30, windowMs: 15 * MINUTE },
  loginAccount: { name: 'login:account', limit: 100, windowMs: 60 * MINUTE },
  passwordChange: { name: 'password-change:account', limit: 10, windowMs: 15 * MINUTE },
  signupAccount: { name: 'signup:account', limit: 5, windowMs: 15 * MINUTE },
  signupIp: { name: 'signup:ip', limit: 20, windowMs: 60 * MINUTE },
  resetAccount: { name: 'reset:account', limit: 5, windowMs: 15 * MINUTE },
  resetIp: { name: 'reset:ip', limit: 20, windowMs: 15 * MINUTE },
} as const satisfies Record<string, ThrottlePolicy>

export type ThrottleResult = { allowed: true } | { allowed: false; retryAfterSeconds: number }

/** Subjects (emails, IPs) are stored hashed: the table holds counters, not personal data. */
export function bucketKey(policy: ThrottlePolicy, subject: string): string {
  const digest = encodeHexLowerCase(sha256(new TextEncoder().encode(subject.trim().toLowerCase())))
  return `${policy.name}:${digest.slice(0, 32)}`
}

/** Counts one attempt; refused once the window holds more than `limit` attempts. */
export async function consumeAttempt(
  db: DbClient,
  policy: ThrottlePolicy,
  subject: string,
  now: Date = new Date(),
): Promise<ThrottleResult> {
  const state = await hitThrottleBucket(db, { key: bucketKey(policy, subject), now, windowMs: policy.windowMs })
  if (state.count <= policy.limit) return { allowed: true }
  const endsAt = state.windowStart.getTime() + policy.windowMs
  return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((endsAt - now.getTime()) / 1000)) }
}

/** Several policies at once (account + IP): refused if any refuses, with the longest wait. */
export async function consumeAttempts(
  db: DbClient,
  checks: ReadonlyArray<readonly [ThrottlePolicy, string]>,
  now: Date = new Date(),
): Promise<ThrottleResult> {
  let wait = 0
  for (const [policy, subject] of checks) {
    const result = await consumeAttempt(db, policy, subject, now)
    if (!result.allowed) wait = Math.max(wait, result.retryAfterSeconds)
  }
  return wait > 0 ? { allowed: false, retryAfterSeconds: wait } : { allowed: true }
}

export async function clearAttempts(db: DbClient, policy: ThrottlePolicy, subject: string): Promise<void> {
  await deleteThrottleBucket(db, bucketKey(policy, subject))
}

/** "Try again in 12 minutes." */
export function describeWait(seconds: number): string {
  if (seconds < 60) return `${seconds} second${seconds === 1 ? '' : 's'}`
  const minutes = Math.ceil(seconds / 60)
  return `${minutes} minute${minutes === 1 ? '' : 's'}`
}
