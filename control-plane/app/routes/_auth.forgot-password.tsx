import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useNavigation } from '@remix-run/react'
import { AuthLayout } from '../components/auth-layout.tsx'
import { Alert } from '../components/ui/alert.tsx'
import { Button } from '../components/ui/button.tsx'
import { Field } from '../components/ui/field.tsx'
import { requestPasswordReset } from '../services/auth-recovery.server.ts'
import { authDeps, failure, type FormErrors, formFields, requestMeta, passRetryAfter } from '../services/auth-route.server.ts'
import { requireAnonymous } from '../services/auth.server.ts'

export const meta: MetaFunction = () => [{ title: 'Reset your password · Switchyard' }]

export const headers = passRetryAfter

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireAnonymous(request, context)
  return null
}

export async function action({ request, context }: ActionFunctionArgs) {
  await requireAnonymous(request, context)
  const fields = await formFields(request)
  const result = await requestPasswordReset(authDeps(context), fields, requestMeta(context))
  if (!result.ok) return failure(result)
  return { sentTo: fields.email ?? '' }
}

export default function ForgotPassword() {
  const result = useActionData<typeof action>() as (FormErrors & { sentTo?: string }) | undefined
  const submitting = useNavigation().state === 'submitting'
  return (
    <AuthLayout
      title="Reset your password"
      subtitle="We’ll email you a link to choose a new one."
      footer={
        <Link to="/login" className="font-medium text-indigo-600 hover:text-indigo-500">
          Back to log in
        </Link>
      }
    >
      {result?.sentTo ? (
        <Alert tone="success">
          If an account exists for <strong>{result.sentTo}</strong>, a reset link is on its way. It works once, for one hour.
        </Alert>
      ) : (
        <Form method="post" className="space-y-5" noValidate>
          {result?.formError ? <Alert>{result.formError}</Alert> : null}
          <Field label="Email" name="email" type="email" autoComplete="email" required autoFocus error={result?.fieldErrors?.email} />
          <Button type="submit" className="w-full" disabled={submitting}>
            {submitting ? 'Sending…' : 'Email me a reset link'}
          </Button>
        </Form>
      )}
    </AuthLayout>
  )
}
