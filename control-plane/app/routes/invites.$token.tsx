import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { AuthLayout } from '../components/auth-layout.tsx'
import { Alert } from '../components/ui/alert.tsx'
import { Button, buttonClasses } from '../components/ui/button.tsx'
import { redirectWithToast } from '../services/auth-route.server.ts'
import { getOptionalAuth, requireUser } from '../services/auth.server.ts'
import { acceptInvite, InviteError, previewInvite } from '../services/invites.server.ts'

// An invitation link: shows the team, role and inviter; a signed-in user with the invited email
// accepts it; anyone else is asked to log in or sign up with that email and come back.
export const meta: MetaFunction = () => [{ title: 'Invitation · Switchyard' }]

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const [preview, auth] = await Promise.all([previewInvite(context.services, params.token ?? ''), getOptionalAuth(request, context)])
  if (!preview) throw new Response('This invitation link is not valid. Ask for a new one.', { status: 404, statusText: 'Not Found' })
  return {
    invite: { status: preview.status, teamName: preview.teamName, email: preview.email, role: preview.role, invitedBy: preview.invitedBy, expiresAt: preview.expiresAt.toISOString() },
    user: auth ? { email: auth.user.email } : null,
    here: new URL(request.url).pathname,
  }
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const auth = await requireUser(request, context)
  try {
    const joined = await acceptInvite(context.services, { userId: auth.user.id, email: auth.user.email }, params.token ?? '')
    return redirectWithToast(`/teams/${joined.teamSlug}`, { kind: 'success', message: `Welcome! You joined as ${joined.role}.` }, context)
  } catch (err) {
    if (!(err instanceof InviteError)) throw err
    if (err.reason === 'not_found') throw new Response('This invitation link is not valid.', { status: 404, statusText: 'Not Found' })
    return data({ formError: err.message.charAt(0).toUpperCase() + err.message.slice(1) + '.' }, { status: err.status })
  }
}

const GONE = {
  expired: 'This invitation has expired. Ask a team admin to send a new one.',
  revoked: 'This invitation was withdrawn. Ask a team admin if you still need access.',
  accepted: 'This invitation has already been used.',
} as const

function Choices({ email, here, signedInAs }: { email: string; here: string; signedInAs: string | null }) {
  const back = encodeURIComponent(here)
  return (
    <div className="space-y-4">
      {signedInAs ? (
        <Alert tone="info">
          You are signed in as <strong className="font-medium">{signedInAs}</strong>, but this invitation is for <strong className="font-medium">{email}</strong>.
          Log out, then log in or sign up with {email}.
        </Alert>
      ) : (
        <p className="text-sm text-slate-600">
          Log in or create an account with <strong className="font-medium text-slate-900">{email}</strong>, and you will come back here to accept.
        </p>
      )}
      {signedInAs ? (
        <Form method="post" action="/logout">
          <Button type="submit" variant="secondary" className="w-full">Log out</Button>
        </Form>
      ) : (
        <div className="grid gap-3 sm:grid-cols-2">
          <Link to={`/login?redirectTo=${back}`} className={buttonClasses('primary')}>Log in</Link>
          <Link to={`/signup?redirectTo=${back}&email=${encodeURIComponent(email)}`} className={buttonClasses('secondary')}>Create an account</Link>
        </div>
      )}
    </div>
  )
}

export default function InviteLanding() {
  const { invite, user, here } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const busy = useNavigation().state === 'submitting'
  const mine = user !== null && user.email.toLowerCase() === invite.email
  return (
    <AuthLayout title={`Join ${invite.teamName}`} subtitle={`${invite.invitedBy ?? 'A team admin'} invited ${invite.email} to join as ${invite.role}.`}>
      {invite.status !== 'pending' ? (
        <Alert>{GONE[invite.status]}</Alert>
      ) : mine ? (
        <Form method="post" className="space-y-4">
          {result?.formError ? <Alert>{result.formError}</Alert> : null}
          <p className="text-sm text-slate-600">You will see the team’s providers, keys and logs with the permissions of the {invite.role} role.</p>
          <Button type="submit" className="w-full" disabled={busy}>
            {busy ? 'Joining…' : `Accept and join ${invite.teamName}`}
          </Button>
        </Form>
      ) : (
        <Choices email={invite.email} here={here} signedInAs={user?.email ?? null} />
      )}
    </AuthLayout>
  )
}
