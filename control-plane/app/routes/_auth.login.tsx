import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useNavigation, useSearchParams } from '@remix-run/react'
import { AuthLayout } from '../components/auth-layout.tsx'
import { Alert } from '../components/ui/alert.tsx'
import { Button } from '../components/ui/button.tsx'
import { Field } from '../components/ui/field.tsx'
import { listMembershipsOfUser } from '../models/team.server.ts'
import { login } from '../services/auth-account.server.ts'
import { authDeps, failure, type FormErrors, formFields, requestMeta, passRetryAfter } from '../services/auth-route.server.ts'
import { requireAnonymous, safeRedirect, startSession } from '../services/auth.server.ts'

export const meta: MetaFunction = () => [{ title: 'Log in · Switchyard' }]

export const headers = passRetryAfter

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireAnonymous(request, context)
  return null
}

export async function action({ request, context }: ActionFunctionArgs) {
  await requireAnonymous(request, context)
  const fields = await formFields(request)
  const result = await login(authDeps(context), fields, requestMeta(context))
  if (!result.ok) return failure(result)
  const memberships = await listMembershipsOfUser(context.services.db, result.userId)
  const first = memberships[0]?.team
  const cookie = await startSession(request, context, { userId: result.userId, activeTeamId: first?.id ?? null })
  const to = safeRedirect(fields.redirectTo, first ? `/teams/${first.slug}` : '/settings')
  return redirect(to, { headers: { 'Set-Cookie': cookie } })
}

export default function Login() {
  const errors = useActionData<typeof action>() as FormErrors | undefined
  const [params] = useSearchParams()
  const submitting = useNavigation().state === 'submitting'
  return (
    <AuthLayout
      title="Log in to Switchyard"
      subtitle="Welcome back. Manage your providers, keys and routes."
      footer={
        <>
          New here?{' '}
          <Link to="/signup" className="font-medium text-indigo-600 hover:text-indigo-500">
            Create an account
          </Link>
        </>
      }
    >
      <Form method="post" className="space-y-5" noValidate>
        {errors?.formError ? <Alert>{errors.formError}</Alert> : null}
        <Field label="Email" name="email" type="email" autoComplete="email" required autoFocus error={errors?.fieldErrors?.email} />
        <Field
          label="Password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          error={errors?.fieldErrors?.password}
        />
        <div className="flex items-center justify-end">
          <Link to="/forgot-password" className="text-sm font-medium text-indigo-600 hover:text-indigo-500">
            Forgot your password?
          </Link>
        </div>
        <Button type="submit" className="w-full" disabled={submitting}>
          {submitting ? 'Logging in…' : 'Log in'}
        </Button>
        <input type="hidden" name="redirectTo" value={params.get('redirectTo') ?? ''} />
      </Form>
    </AuthLayout>
  )
}
