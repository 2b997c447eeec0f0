import { randomUUID } from 'node:crypto'
import { createTransport } from 'nodemailer'

// Outgoing email. With SMTP_URL set, messages go out over SMTP (nodemailer). Without it —
// the embedded default, air-gapped installs, tests — each message (with its link) is printed
// to the server log and kept in an in-memory outbox that team admins can read in the console
// (/teams/:team/outbox), so signup, verification and password reset work with no mail server.

export interface EmailMessage {
  to: string
  subject: string
  text: string
  /** The one action link of the message, shown as a button in the outbox. */
  link: string
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
}

export function createMailer(options: MailerOptions): Mailer {
  if (options.smtpUrl) return createSmtpMailer(options.smtpUrl, options.from)
  const entries: OutboxEntry[] = []
  return {
    mode: 'outbox',
    async send(message) {
      entries.unshift({ ...message, id: randomUUID(), createdAt: new Date() })
      entries.length = Math.min(entries.length, OUTBOX_LIMIT)
      options.log(`email (no SMTP_URL; kept in the console outbox) to ${message.to}: ${message.subject} — ${message.link}`)
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

/** Absolute link to a console path: SWITCHYARD_PUBLIC_URL, else the origin the request came to. */
export function consoleLink(path: string, base: { publicUrl: string | null; requestUrl: string }): string {
  const origin = base.publicUrl ?? new URL(base.requestUrl).origin
  return new URL(path, origin).toString()
}
