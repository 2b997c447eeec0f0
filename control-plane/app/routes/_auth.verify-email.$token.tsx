import { type ActionFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useActionData } from '@remix-run/react'
import { AuthLayout } from '../components/auth-layout.tsx'
import { Alert } from '../components/ui/alert.tsx'
import { Button } from '../components/ui/button.tsx'
import { verifyEmail } from '../services/auth-recovery.server.ts'
import { authDeps, redirectWithToast } from '../services/auth-route.server.ts'
import { confirmSignup } from '../services/auth-signup.server.ts'
import { getOptionalAuth, safeRedirect, startSession } from '../services/auth.server.ts'

// The link opens a page; confirming is a POST, so a GET (a mail scanner's prefetch) changes nothing.
// Two kinds of link land here: a signup's (the account is created now, and signed in: the link
// proved the address) and an existing account's "confirm your email" link.
export const meta: MetaFunction = () => [{ title: 'Confirm your email · Switchyard' }]

export async function action({ request, params, context }: ActionFunctionArgs) {
  const token = params.token ?? ''
  const verified = await verifyEmail(authDeps(context), token)
  if (!verified) {
    const created = await confirmSignup(authDeps(context), token)
    if (!created.ok) return { error: 'message' in created ? created.message : 'This confirmation link is invalid, expired or already used.' }
    const cookie = await startSession(request, context, { userId: created.userId, activeTeamId: created.teamId })
    const to = safeRedirect(created.redirectTo, `/teams/${created.teamSlug}`)
    return redirectWithToast(to, { kind: 'success', message: 'Welcome to Switchyard! Your team is ready.' }, context, [cookie])
  }
  const signedIn = await getOptionalAuth(request, context)
  return redirectWithToast(signedIn ? '/' : '/login', { kind: 'success', message: 'Thanks, your email address is confirmed.' }, context)
}

export default function VerifyEmail() {
  const result = useActionData<typeof action>()
  return (
    <AuthLayout title="Confirm your email address">
      <Form method="post" className="space-y-5">
        {result?.error ? <Alert>{result.error}</Alert> : <p className="text-sm text-slate-600">One click and you are done.</p>}
        <Button type="submit" className="w-full">
          Confirm my email
        </Button>
      </Form>
    </AuthLayout>
  )
}
