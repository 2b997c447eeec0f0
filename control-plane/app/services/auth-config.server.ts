import { z } from 'zod'

// The console's own settings (sessions, links in emails, SMTP), parsed once by server/env.ts
// and handed to services through AppServices.config.

export interface ConsoleConfig {
  /** NODE_ENV=production: `Secure` + `__Host-` session cookie. */
  production: boolean
  /**
   * The console's public origin (SWITCHYARD_PUBLIC_URL; outside production the configured host
   * and port by default): every emailed link and the CSRF origin check. Never a request's Host,
   * which a client chooses (a reset link to `Host: attacker.example` would hand over the token).
   */
  publicUrl: string
  /** SMTP_URL (smtp:// or smtps://); unset → emails go to the console outbox (and the log outside production). */
  smtpUrl: string | null
  /** SMTP_FROM: the sender of every email. */
  mailFrom: string
  /** DATA_PLANE_PORT, for the "make your first call" hints (8787 when unset). */
  dataPlanePort?: number
}

export const DEFAULT_MAIL_FROM = 'Switchyard <no-reply@switchyard.invalid>'

/** Where the console listens (SWITCHYARD_HOST, CONTROL_PLANE_PORT): the development public origin. */
export interface ListenAddress {
  host: string
  port: number
}

const ConsoleEnv = z.object({
  SWITCHYARD_PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  SMTP_URL: z.url({ protocol: /^smtps?$/ }).optional(),
  SMTP_FROM: z.string().min(3).max(320).optional(),
})

const WILDCARD_HOSTS = new Set(['0.0.0.0', '::', '[::]'])

/** `http://<host>:<port>`; a wildcard bind address is reached as localhost. */
export function listenOrigin(listen: ListenAddress): string {
  const host = WILDCARD_HOSTS.has(listen.host) ? 'localhost' : listen.host
  const shown = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host
  return new URL(`http://${shown}:${listen.port}`).origin
}

/** Throws a ZodError listing the bad variables (also SWITCHYARD_PUBLIC_URL missing in production). */
export function parseConsoleConfig(
  source: Record<string, string | undefined>,
  production: boolean,
  listen: ListenAddress,
): ConsoleConfig {
  const present = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''))
  const schema = ConsoleEnv.refine((env) => !production || env.SWITCHYARD_PUBLIC_URL !== undefined, {
    path: ['SWITCHYARD_PUBLIC_URL'],
    message: 'required when NODE_ENV=production (the origin of every emailed link and of the CSRF check)',
  })
  const env = schema.parse(present)
  return {
    production,
    publicUrl: env.SWITCHYARD_PUBLIC_URL ? new URL(env.SWITCHYARD_PUBLIC_URL).origin : listenOrigin(listen),
    smtpUrl: env.SMTP_URL ?? null,
    mailFrom: env.SMTP_FROM ?? DEFAULT_MAIL_FROM,
  }
}

/** Development defaults (tests, tools): plain cookie, no SMTP, the default listen address. */
export function defaultConsoleConfig(overrides: Partial<ConsoleConfig> = {}): ConsoleConfig {
  return { production: false, publicUrl: 'http://127.0.0.1:3000', smtpUrl: null, mailFrom: DEFAULT_MAIL_FROM, ...overrides }
}
