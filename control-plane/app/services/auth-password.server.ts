import { z } from 'zod'
import { COMMON_PASSWORDS } from './auth-common-passwords.server.ts'
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './password.server.ts'

// The password rules of the console (G-SEC-08): 8–256 characters, compared whole (no
// truncation: Argon2 takes every byte), not one of the most common passwords, not the email.

export const NEW_PASSWORD_HINT = `At least ${PASSWORD_MIN_LENGTH} characters; a long passphrase is best.`

export function passwordProblem(password: string, email?: string): string | null {
  // Length in characters as people count them (code points), not UTF-16 units.
  const length = [...password].length
  if (length < PASSWORD_MIN_LENGTH) return `Use at least ${PASSWORD_MIN_LENGTH} characters.`
  if (length > PASSWORD_MAX_LENGTH) return `Use at most ${PASSWORD_MAX_LENGTH} characters.`
  if (COMMON_PASSWORDS.has(password.toLowerCase())) return 'This password is too common. Choose one that is harder to guess.'
  if (email && password.toLowerCase() === email.toLowerCase()) return 'Your password must not be your email address.'
  return null
}

/** A zod field for a new password (signup, change, reset); the email check happens in the flow. */
export const NewPassword = z.string().superRefine((value, ctx) => {
  const problem = passwordProblem(value)
  if (problem) ctx.addIssue({ code: 'custom', message: problem })
})
