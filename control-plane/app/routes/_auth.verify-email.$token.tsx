import { type ActionFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useActionData } from '@remix-run/react'
import { AuthLayout } from '../components/auth-layout.tsx'
import { Alert } from '../components/ui/alert.tsx'
import { Button } from '../components/ui/button.tsx'
import { verifyEmail } from '../services/auth-recovery.server.ts'
import { authDeps, redirectWithToast } from '../services/auth-route.server.ts'
import { getOptionalAuth } from '../services/auth.server.ts'

// The link opens a page; confirming is a POST, so a GET (a mail scanner's prefetch) changes nothing.
export const meta: MetaFunction = () => [{ title: 'Confirm your email · Switchyard' }]

export async function action({ request, params, context }: ActionFunctionArgs) {
  const verified = await verifyEmail(authDeps(context), params.token ?? '')
  if (!verified) return { error: 'This confirmation link is invalid, expired or already used.' }
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
