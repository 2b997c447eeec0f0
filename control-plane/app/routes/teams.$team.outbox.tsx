import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { PageHeader } from '../components/app-shell.tsx'
import { InboxIcon } from '../components/icons.tsx'
import { Alert } from '../components/ui/alert.tsx'
import { buttonClasses } from '../components/ui/button.tsx'
import { Card } from '../components/ui/card.tsx'
import { EmptyState } from '../components/ui/empty-state.tsx'
import { requireTeamRole } from '../services/auth.server.ts'
import { visibleOutbox } from '../services/email.server.ts'
import { can } from '../services/permissions.ts'

// The outbox: with no SMTP_URL, emails are kept here so the flows work air-gapped. Each member
// reads only their own mail (verification, password reset); the team's managers also see the
// invitations the team sent. Never another member's account mail: a reset link to a member
// who owns another team would hand that team over (issue #11, docs/security.md).
export const meta: MetaFunction = () => [{ title: 'Outbox · Switchyard' }]

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { team, role, user } = await requireTeamRole(request, context, params.team, 'team.read')
  const viewer = { email: user.email, teamId: team.id, managesTeam: can(role, 'members.manage') }
  const emails = visibleOutbox(context.services.mailer.outbox(), viewer).map((e) => ({
    id: e.id,
    to: e.to,
    subject: e.subject,
    text: e.text,
    link: e.link,
    createdAt: e.createdAt.toISOString(),
  }))
  return { mode: context.services.mailer.mode, emails }
}

export default function Outbox() {
  const { mode, emails } = useLoaderData<typeof loader>()
  return (
    <>
      <PageHeader title="Outbox" description="Emails Switchyard would have sent to you, and the invitations your team sent." />
      {mode === 'smtp' ? (
        <Alert tone="info">Email goes out through your SMTP server, so nothing is kept here.</Alert>
      ) : (
        <div className="space-y-6">
          <Alert tone="info">
            No SMTP server is configured (set <code className="font-mono">SMTP_URL</code>), so emails are printed to the server log and kept
            here until the next restart.
          </Alert>
          {emails.length === 0 ? (
            <EmptyState icon={<InboxIcon className="h-6 w-6" />} title="No emails yet" description="Your verification and password-reset emails, and your team’s invitations, will appear here." />
          ) : (
            <ul className="space-y-4">
              {emails.map((e) => (
                <li key={e.id}>
                  <Card className="px-6 py-5">
                    <div className="flex flex-wrap items-baseline justify-between gap-2">
                      <h2 className="text-sm font-semibold text-slate-900">{e.subject}</h2>
                      <time className="text-xs text-slate-500" dateTime={e.createdAt}>
                        {new Date(e.createdAt).toUTCString()}
                      </time>
                    </div>
                    <p className="mt-1 text-sm text-slate-500">To {e.to}</p>
                    <pre className="mt-4 whitespace-pre-wrap font-sans text-sm text-slate-700">{e.text}</pre>
                    <a href={e.link} className={buttonClasses('secondary', 'sm', 'mt-4')}>
                      Open the link
                    </a>
                  </Card>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </>
  )
}
