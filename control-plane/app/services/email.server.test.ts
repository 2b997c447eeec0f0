import { describe, expect, it } from 'vitest'
import { consoleLink, createMailer, type EmailMessage, visibleOutbox } from './email.server.ts'

const reset: EmailMessage = {
  to: 'victim@example.test',
  subject: 'Reset your Switchyard password',
  text: 'Choose a new password here: http://127.0.0.1:3000/reset-password/secret-token-123',
  link: 'http://127.0.0.1:3000/reset-password/secret-token-123',
  audience: { kind: 'recipient' },
}
const invite: EmailMessage = { ...reset, subject: 'Invited', link: 'http://127.0.0.1:3000/invites/x', audience: { kind: 'team-managers', teamId: 'team_a' } }

function capture(production: boolean) {
  const lines: string[] = []
  return { lines, mailer: createMailer({ smtpUrl: null, from: 'x@y.z', log: (l) => lines.push(l), production }) }
}

describe('outbox mailer without SMTP_URL', () => {
  it('in production logs that the mail was not sent, without its link or token', async () => {
    const { lines, mailer } = capture(true)
    await mailer.send(reset)
    expect(lines).toHaveLength(1)
    expect(lines[0]).toContain('not sent: SMTP_URL is unset')
    expect(lines[0]).not.toContain('secret-token-123')
    expect(lines[0]).not.toContain('/reset-password/')
  })

  it('outside production prints the link for the operator', async () => {
    const { lines, mailer } = capture(false)
    await mailer.send(reset)
    expect(lines[0]).toContain(reset.link)
  })
})

describe('outbox audience', () => {
  const entries = [reset, invite].map((m, i) => ({ ...m, id: String(i), createdAt: new Date() }))

  it("shows account mail only to its recipient, never to a manager of the recipient's team", () => {
    const admin = { email: 'admin@example.test', teamId: 'team_a', managesTeam: true }
    expect(visibleOutbox(entries, admin).map((e) => e.subject)).toEqual(['Invited'])
    expect(visibleOutbox(entries, { email: 'VICTIM@example.test', teamId: 'team_b', managesTeam: false }).map((e) => e.subject)).toEqual([
      'Reset your Switchyard password',
      'Invited',
    ])
  })

  it("shows a team's invitations to its managers only, not to members or other teams", () => {
    expect(visibleOutbox(entries, { email: 'm@example.test', teamId: 'team_a', managesTeam: false })).toEqual([])
    expect(visibleOutbox(entries, { email: 'o@example.test', teamId: 'team_b', managesTeam: true })).toEqual([])
  })
})

describe('consoleLink', () => {
  it('builds on the configured origin whatever the path', () => {
    expect(consoleLink('/reset-password/abc', 'https://gw.example.com')).toBe('https://gw.example.com/reset-password/abc')
    expect(() => consoleLink('//evil.example/x', 'https://gw.example.com')).toThrow()
  })
})
