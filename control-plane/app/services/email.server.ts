import { randomUUID } from 'node:crypto'
import { createTransport } from 'nodemailer'

// Outgoing email. With SMTP_URL set, messages go out over SMTP (nodemailer). Without it —
// the embedded default, air-gapped installs, tests — each message is kept in an in-memory
// outbox shown in the console (/teams/:team/outbox) and, outside production, printed with its
// link to the server log for the operator. In production the log says only that a message was
// not sent: reset and verification links are credentials (docs/security.md).
//
// Who may read a kept message is part of the message (`audience`): account mail (verification,
// password reset, sign-up notices) only its recipient, signed in; an invitation also the
// admins of the inviting team, who created the link anyway. Never "every member's mail": a
// team admin who could read a member's reset link could take over that member's own teams.

export type MailAudience = { kind: 'recipient' } | { kind: 'team-managers'; teamId: string }

export interface EmailMessage {
  to: string
  subject: string
  text: string
  /** The one action link of the message, shown as a button in the outbox. */
  link: string
  audience: MailAudience
}

export interface OutboxEntry extends EmailMessage {
  id: string
  createdAt: Date
}

export interface Mailer {
  readonly mode: 'smtp' | 'outbox'
  send(message: EmailMessage): Promise<void>
  /** Messages kept because no SMTP server is configured, newest first. */
  outbox(): readonly OutboxEntry[]
}

const OUTBOX_LIMIT = 200

export interface MailerOptions {
  smtpUrl: string | null
  from: string
  log: (line: string) => void
  /** NODE_ENV=production: links never reach the log. */
  production?: boolean
}

export function createMailer(options: MailerOptions): Mailer {
  if (options.smtpUrl) return createSmtpMailer(options.smtpUrl, options.from)
  const entries: OutboxEntry[] = []
  return {
    mode: 'outbox',
    async send(message) {
      entries.unshift({ ...message, id: randomUUID(), createdAt: new Date() })
      entries.length = Math.min(entries.length, OUTBOX_LIMIT)
      options.log(
        options.production
          ? `email to ${message.to} not sent: SMTP_URL is unset (${message.subject}); set SMTP_URL to deliver email`
          : `email (no SMTP_URL; kept in the console outbox) to ${message.to}: ${message.subject} — ${message.link}`,
      )
    },
    outbox: () => entries,
  }
}

function createSmtpMailer(smtpUrl: string, from: string): Mailer {
  const transport = createTransport(smtpUrl)
  return {
    mode: 'smtp',
    async send(message) {
      await transport.sendMail({ from, to: message.to, subject: message.subject, text: message.text })
    },
    outbox: () => [],
  }
}

/** Who is looking at the outbox of a team page. */
export interface OutboxViewer {
  email: string
  teamId: string
  /** members.manage in that team: sees the team's invitations too. */
  managesTeam: boolean
}

/** The kept messages `viewer` may read: their own, and their team's invitations if they manage it. */
export function visibleOutbox(entries: readonly OutboxEntry[], viewer: OutboxViewer): OutboxEntry[] {
  const own = viewer.email.trim().toLowerCase()
  return entries.filter((e) => {
    if (e.to.trim().toLowerCase() === own) return true
    return e.audience.kind === 'team-managers' && viewer.managesTeam && e.audience.teamId === viewer.teamId
  })
}

/** Absolute link to a console path under the configured public origin (never a request's Host). */
export function consoleLink(path: string, publicUrl: string): string {
  // A path like `//host/x` would leave the origin; links are built from our own paths only.
  if (!path.startsWith('/') || path.startsWith('//')) throw new Error(`consoleLink needs an absolute path, got ${path}`)
  return new URL(path, publicUrl).toString()
}
