import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { AuthLayout } from '../components/auth-layout.tsx'
import { Alert } from '../components/ui/alert.tsx'
import { Button, buttonClasses } from '../components/ui/button.tsx'
import { RevokeTokensCheckbox } from '../components/revoke-tokens-checkbox.tsx'
import { Field } from '../components/ui/field.tsx'
import { NEW_PASSWORD_HINT } from '../components/password-hint.ts'
import { isResetTokenUsable, resetPassword } from '../services/auth-recovery.server.ts'
import { authDeps, failure, type FormErrors, formFields, redirectWithToast } from '../services/auth-route.server.ts'
import { endSessionCookie } from '../services/auth.server.ts'

export const meta: MetaFunction = () => [{ title: 'Choose a new password · Switchyard' }]

export async function loader({ params, context }: LoaderFunctionArgs) {
  return { usable: await isResetTokenUsable(authDeps(context), params.token ?? '') }
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const result = await resetPassword(authDeps(context), params.token ?? '', await formFields(request))
  if (!result.ok) return failure(result)
  // Every session of the account ended, this browser's too: log in with the new password.
  const revoked = result.revokedTokens > 0 ? ` ${result.revokedTokens} API token${result.revokedTokens === 1 ? ' was' : 's were'} revoked.` : ''
  return redirectWithToast('/login', { kind: 'success', message: `Your password was changed. Log in with the new one.${revoked}` }, context, [
    endSessionCookie(context),
  ])
}

export default function ResetPassword() {
  const { usable } = useLoaderData<typeof loader>()
  const errors = useActionData<typeof action>() as FormErrors | undefined
  const submitting = useNavigation().state === 'submitting'
  if (!usable) {
    return (
      <AuthLayout title="This link has expired">
        <p className="text-sm text-slate-600">Reset links work once and only for an hour. Ask for a new one and use the latest email.</p>
        <Link to="/forgot-password" className={buttonClasses('primary', 'md', 'mt-6 w-full')}>
          Send a new link
        </Link>
      </AuthLayout>
    )
  }
  return (
    <AuthLayout title="Choose a new password" subtitle="All your sessions will be logged out.">
      <Form method="post" className="space-y-5" noValidate>
        {errors?.formError ? <Alert>{errors.formError}</Alert> : null}
        <Field
          label="New password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          autoFocus
          description={NEW_PASSWORD_HINT}
          error={errors?.fieldErrors?.password}
        />
        <Field label="Repeat the new password" name="confirm" type="password" autoComplete="new-password" required error={errors?.fieldErrors?.confirm} />
        <RevokeTokensCheckbox />
        <Button type="submit" className="w-full" disabled={submitting}>
          {submitting ? 'Saving…' : 'Set new password'}
        </Button>
      </Form>
    </AuthLayout>
  )
}
