import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useNavigation } from '@remix-run/react'
import { AuthLayout } from '../components/auth-layout.tsx'
import { Alert } from '../components/ui/alert.tsx'
import { Button } from '../components/ui/button.tsx'
import { Field } from '../components/ui/field.tsx'
import { signup } from '../services/auth-account.server.ts'
import { NEW_PASSWORD_HINT } from '../components/password-hint.ts'
import { authDeps, failure, type FormErrors, formFields, requestMeta, passRetryAfter } from '../services/auth-route.server.ts'
import { requireAnonymous, startSession } from '../services/auth.server.ts'
import { flashCookie } from '../services/session-flash.server.ts'

export const meta: MetaFunction = () => [{ title: 'Create your account · Switchyard' }]

export const headers = passRetryAfter

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireAnonymous(request, context)
  return null
}

export async function action({ request, context }: ActionFunctionArgs) {
  await requireAnonymous(request, context)
  const result = await signup(authDeps(context), await formFields(request), requestMeta(request, context))
  if (!result.ok) return failure(result)
  const headers = new Headers()
  headers.append('Set-Cookie', await startSession(request, context, { userId: result.userId, activeTeamId: result.teamId }))
  headers.append('Set-Cookie', flashCookie({ kind: 'success', message: 'Welcome to Switchyard! Your team is ready.' }, context.services.config.production))
  return redirect(`/teams/${result.teamSlug}`, { headers })
}

export default function Signup() {
  const errors = useActionData<typeof action>() as FormErrors | undefined
  const submitting = useNavigation().state === 'submitting'
  const fe = errors?.fieldErrors
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
      <Form method="post" className="space-y-5" noValidate>
        {errors?.formError && !fe ? <Alert>{errors.formError}</Alert> : null}
        <Field label="Your name" name="name" autoComplete="name" required autoFocus error={fe?.name} />
        <Field label="Work email" name="email" type="email" autoComplete="email" required error={fe?.email} />
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
      </Form>
    </AuthLayout>
  )
}
