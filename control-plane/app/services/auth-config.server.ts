import { z } from 'zod'

// The console's own settings (sessions, links in emails, SMTP), parsed once by server/env.ts
// and handed to services through AppServices.config.

export interface ConsoleConfig {
  /** NODE_ENV=production: `Secure` + `__Host-` session cookie. */
  production: boolean
  /** SWITCHYARD_PUBLIC_URL: the origin browsers use (links in emails, CSRF origin check behind a proxy). */
  publicUrl: string | null
  /** SMTP_URL (smtp:// or smtps://); unset → emails go to the log and the console outbox. */
  smtpUrl: string | null
  /** SMTP_FROM: the sender of every email. */
  mailFrom: string
  /** DATA_PLANE_PORT, for the "make your first call" hints (8787 when unset). */
  dataPlanePort?: number
}

export const DEFAULT_MAIL_FROM = 'Switchyard <no-reply@switchyard.invalid>'

const ConsoleEnv = z.object({
  SWITCHYARD_PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  SMTP_URL: z.url({ protocol: /^smtps?$/ }).optional(),
  SMTP_FROM: z.string().min(3).max(320).optional(),
})

/** Throws a ZodError listing the bad variables. */
export function parseConsoleConfig(source: Record<string, string | undefined>, production: boolean): ConsoleConfig {
  const present = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''))
  const env = ConsoleEnv.parse(present)
  return {
    production,
    publicUrl: env.SWITCHYARD_PUBLIC_URL ? new URL(env.SWITCHYARD_PUBLIC_URL).origin : null,
    smtpUrl: env.SMTP_URL ?? null,
    mailFrom: env.SMTP_FROM ?? DEFAULT_MAIL_FROM,
  }
}

/** Development defaults (tests, tools): plain cookie, no SMTP. */
export function defaultConsoleConfig(overrides: Partial<ConsoleConfig> = {}): ConsoleConfig {
  return { production: false, publicUrl: null, smtpUrl: null, mailFrom: DEFAULT_MAIL_FROM, ...overrides }
}
