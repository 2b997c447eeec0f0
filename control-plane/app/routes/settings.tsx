import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { AppShell, PageHeader } from '../components/app-shell.tsx'
import { SessionsCard } from '../components/sessions-card.tsx'
import { Alert } from '../components/ui/alert.tsx'
import { Badge } from '../components/ui/badge.tsx'
import { Button } from '../components/ui/button.tsx'
import { Card, CardBody, CardFooter, CardHeader } from '../components/ui/card.tsx'
import { Field } from '../components/ui/field.tsx'
import { listLiveSessionsOfUser } from '../models/session.server.ts'
import { updateUserName } from '../models/user.server.ts'
import { NEW_PASSWORD_HINT } from '../components/password-hint.ts'
import { RevokeTokensCheckbox } from '../components/revoke-tokens-checkbox.tsx'
import { changePassword } from '../services/auth-recovery.server.ts'
import { authDeps, failure, type FormErrors, formFields, redirectWithToast, shellData, passRetryAfter } from '../services/auth-route.server.ts'
import { requireUser } from '../services/auth.server.ts'

export const meta: MetaFunction = () => [{ title: 'Account settings · Switchyard' }]

export const headers = passRetryAfter

export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = await requireUser(request, context)
  const sessions = await listLiveSessionsOfUser(context.services.db, auth.user.id, new Date())
  const shell = await shellData(context, auth)
  return {
    ...shell,
    switcherTeam: shell.teams.find((t) => t.id === auth.session.activeTeamId) ?? shell.teams[0] ?? null,
    sessions: sessions.map((s) => ({
      id: s.id.slice(0, 8),
      current: s.id === auth.session.id,
      userAgent: s.userAgent,
      ip: s.ip,
      createdAt: s.createdAt.toISOString(),
      lastActiveAt: s.lastActiveAt.toISOString(),
    })),
  }
}

const Profile = z.object({ name: z.string().trim().min(1, 'Tell us your name.').max(100, 'Use at most 100 characters.') })

export async function action({ request, context }: ActionFunctionArgs) {
  const auth = await requireUser(request, context)
  const fields = await formFields(request)
  if (fields.intent === 'profile') {
    const parsed = Profile.safeParse(fields)
    if (!parsed.success) return data({ intent: 'profile', fieldErrors: { name: parsed.error.issues[0]?.message ?? 'Invalid' } }, { status: 400 })
    await updateUserName(context.services.db, auth.user.id, parsed.data.name)
    return redirectWithToast('/settings', { kind: 'success', message: 'Profile saved.' }, context)
  }
  const result = await changePassword(authDeps(context), { userId: auth.user.id, sessionId: auth.session.id }, fields)
  if (!result.ok) return failure(result)
  const others = result.endedSessions
  const tokens = result.revokedTokens
  const message = `Password changed.${others > 0 ? ` ${others} other session${others === 1 ? ' was' : 's were'} logged out.` : ''}${
    tokens > 0 ? ` ${tokens} API token${tokens === 1 ? ' was' : 's were'} revoked.` : ''
  }`
  return redirectWithToast('/settings', { kind: 'success', message }, context)
}

export default function Settings() {
  const { user, teams, switcherTeam, sessions } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>() as (FormErrors & { intent?: string }) | undefined
  const profileErrors = result?.intent === 'profile' ? result.fieldErrors : undefined
  const passwordErrors = result?.intent === 'profile' ? undefined : result
  return (
    <AppShell user={user} teams={teams} team={null} switcherTeam={switcherTeam}>
      <PageHeader title="Account settings" description="Your profile, password and signed-in devices." />
      <div className="space-y-6">
        <Card>
          <CardHeader title="Profile" description="How teammates see you." />
          <Form method="post">
            <CardBody className="grid gap-5 sm:grid-cols-2">
              <input type="hidden" name="intent" value="profile" />
              <Field label="Name" name="name" defaultValue={user.name} autoComplete="name" required error={profileErrors?.name} />
              <div>
                <p className="block text-sm font-medium text-slate-800">Email</p>
                <p className="mt-1.5 flex items-center gap-2 py-2 text-sm text-slate-700">
                  {user.email} {user.emailVerified ? <Badge tone="green">Confirmed</Badge> : <Badge tone="amber">Not confirmed</Badge>}
                </p>
              </div>
            </CardBody>
            <CardFooter>
              <Button type="submit">Save profile</Button>
            </CardFooter>
          </Form>
        </Card>
        <Card>
          <CardHeader title="Password" description="Changing it logs out every other session." />
          <Form method="post">
            <CardBody className="grid max-w-xl gap-5">
              <input type="hidden" name="intent" value="password" />
              {passwordErrors?.formError ? <Alert>{passwordErrors.formError}</Alert> : null}
              <Field label="Current password" name="currentPassword" type="password" autoComplete="current-password" required error={passwordErrors?.fieldErrors?.currentPassword} />
              <Field label="New password" name="newPassword" type="password" autoComplete="new-password" required description={NEW_PASSWORD_HINT} error={passwordErrors?.fieldErrors?.newPassword} />
              <Field label="Repeat the new password" name="confirm" type="password" autoComplete="new-password" required error={passwordErrors?.fieldErrors?.confirm} />
              <RevokeTokensCheckbox />
            </CardBody>
            <CardFooter>
              <Button type="submit">Change password</Button>
            </CardFooter>
          </Form>
        </Card>
        <SessionsCard sessions={sessions} />
      </div>
    </AppShell>
  )
}
