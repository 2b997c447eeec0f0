import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type ConsoleServer, postForm, startConsole } from '../support/browser.ts'
import { getPage, signUp } from './console-client.ts'

// Issue #11 item 1: with no SMTP_URL a team admin's outbox showed the password-reset mail of
// every member of their team. The attack: invite the victim (who owns another team) into
// your team, ask for a reset of the victim's password, read the link in your outbox, set a
// password, and own the victim's team. Account mail is now readable only by its recipient.

describe('outbox takeover: account mail is readable only by its recipient', () => {
  let server: ConsoleServer

  beforeAll(async () => {
    server = await startConsole('sec_outbox')
  })
  afterAll(async () => {
    await server?.stop()
  })

  it("a team admin never sees a member's reset link; the member sees their own; invitations stay visible to the team's admins", async () => {
    const victim = await signUp(server, 'victim')
    const attacker = await signUp(server, 'attacker')

    // The attacker invites the victim into their team and the victim accepts.
    const invited = await postForm(`${server.url}/teams/${attacker.teamSlug}/members`, { intent: 'invite', email: victim.email, role: 'member' }, { cookie: attacker.cookie })
    expect(invited.status).toBe(200)
    const inviteLink = server.lastEmailLink(victim.email, '/invites/')
    const accepted = await postForm(inviteLink, {}, { cookie: victim.cookie })
    expect(accepted.status).toBe(302)
    expect(accepted.headers.get('location')).toBe(`/teams/${attacker.teamSlug}`)

    // Anyone asks for a reset of the victim's password.
    const forgot = await postForm(`${server.url}/forgot-password`, { email: victim.email })
    expect(forgot.status).toBe(200)
    const resetLink = server.lastEmailLink(victim.email, '/reset-password/')

    // The attacker's outbox (they administer a team the victim is in) does not have it…
    const after = await getPage(`${server.url}/teams/${attacker.teamSlug}/outbox`, attacker.cookie)
    expect(after.status).toBe(200)
    expect(after.html).not.toContain('/reset-password/')
    expect(after.html).not.toContain(resetLink)
    expect(after.html).not.toContain(server.lastEmailLink(victim.email, '/verify-email/'))
    // …while the victim reads their own reset mail, in either of their teams.
    for (const slug of [victim.teamSlug, attacker.teamSlug]) {
      const own = await getPage(`${server.url}/teams/${slug}/outbox`, victim.cookie)
      expect(own.status).toBe(200)
      expect(own.html).toContain(resetLink)
    }
    // The invitation the attacker's team sent stays visible to that team's admins.
    expect(after.html).toContain(inviteLink)
  })
})
