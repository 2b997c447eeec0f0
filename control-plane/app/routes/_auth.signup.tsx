import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useNavigation, useSearchParams } from '@remix-run/react'
import { AuthLayout } from '../components/auth-layout.tsx'
import { Alert } from '../components/ui/alert.tsx'
import { Button } from '../components/ui/button.tsx'
import { Field } from '../components/ui/field.tsx'
import { signup } from '../services/auth-signup.server.ts'
import { NEW_PASSWORD_HINT } from '../components/password-hint.ts'
import { authDeps, failure, type FormErrors, formFields, requestMeta, passRetryAfter } from '../services/auth-route.server.ts'
import { requireAnonymous } from '../services/auth.server.ts'

export const meta: MetaFunction = () => [{ title: 'Create your account · Switchyard' }]

export const headers = passRetryAfter

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireAnonymous(request, context)
  return null
}

export async function action({ request, context }: ActionFunctionArgs) {
  await requireAnonymous(request, context)
  const fields = await formFields(request)
  const result = await signup(authDeps(context), fields, requestMeta(context))
  if (!result.ok) return failure(result)
  // The same answer whether or not the email has an account (auth-signup.server.ts). An
  // invitation's ?redirectTo=/invites/<token> travels with the pending signup to its link.
  return { sentTo: result.email }
}

export default function Signup() {
  const errors = useActionData<typeof action>() as (FormErrors & { sentTo?: string }) | undefined
  const submitting = useNavigation().state === 'submitting'
  const fe = errors?.fieldErrors
  const [params] = useSearchParams()
  return (
    <AuthLayout
      title="Create your account"
      subtitle="Bring your own provider keys; hand your apps virtual keys."
      footer={
        <>
          Already have an account?{' '}
          <Link to="/login" className="font-medium text-indigo-600 hover:text-indigo-500">
            Log in
          </Link>
        </>
      }
    >
      {errors?.sentTo ? (
        <Alert tone="success">
          Check your inbox: we sent a message to <strong>{errors.sentTo}</strong>. Open its link to confirm your email and get started.
        </Alert>
      ) : (
        <Form method="post" className="space-y-5" noValidate>
          {errors?.formError && !fe ? <Alert>{errors.formError}</Alert> : null}
          <Field label="Your name" name="name" autoComplete="name" required autoFocus error={fe?.name} />
          <Field label="Work email" name="email" type="email" autoComplete="email" required defaultValue={params.get('email') ?? ''} error={fe?.email} />
          <Field
            label="Password"
            name="password"
            type="password"
            autoComplete="new-password"
            required
            minLength={8}
            description={NEW_PASSWORD_HINT}
            error={fe?.password}
          />
          <Field label="Team name" name="team" autoComplete="organization" required description="You can invite teammates later." error={fe?.team} />
          <Button type="submit" className="w-full" disabled={submitting}>
            {submitting ? 'Creating your team…' : 'Create account'}
          </Button>
          <input type="hidden" name="redirectTo" value={params.get('redirectTo') ?? ''} />
        </Form>
      )}
    </AuthLayout>
  )
}
