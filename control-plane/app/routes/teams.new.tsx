import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { UpdateTeamBody } from '../api/schemas.ts'
import { AppShell, PageHeader } from '../components/app-shell.tsx'
import { Alert } from '../components/ui/alert.tsx'
import { Button } from '../components/ui/button.tsx'
import { Card, CardBody, CardFooter, CardHeader } from '../components/ui/card.tsx'
import { Field } from '../components/ui/field.tsx'
import { redirectWithToast, shellData } from '../services/auth-route.server.ts'
import { requireUser } from '../services/auth.server.ts'
import { type ActionErrors, invalidForm, serviceCall } from '../services/console-actions.server.ts'
import { createTeam } from '../services/teams.server.ts'

// Another team: the creator owns it; its slug comes from the name.
export const meta: MetaFunction = () => [{ title: 'New team · Switchyard' }]

export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = await requireUser(request, context)
  const shell = await shellData(context, auth)
  return { ...shell, switcherTeam: shell.teams.find((t) => t.id === auth.session.activeTeamId) ?? shell.teams[0] ?? null }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const auth = await requireUser(request, context)
  const parsed = UpdateTeamBody.safeParse({ name: (await request.formData()).get('name') ?? '' })
  if (!parsed.success) return invalidForm('create', { name: 'Give the team a name (at most 100 characters).' })
  const r = await serviceCall('create', () => 'name', () => createTeam(context.services, { userId: auth.user.id }, parsed.data))
  if (!r.ok) return r.response
  return redirectWithToast(`/teams/${r.value.slug}`, { kind: 'success', message: `${r.value.name} is ready. Add a provider to get started.` }, context)
}

export default function NewTeam() {
  const { user, teams, switcherTeam } = useLoaderData<typeof loader>()
  const errors = useActionData<typeof action>() as ActionErrors | undefined
  const busy = useNavigation().state === 'submitting'
  return (
    <AppShell user={user} teams={teams} team={null} switcherTeam={switcherTeam}>
      <PageHeader title="Create a team" description="Teams have their own providers, virtual keys, logs and members." />
      <Card className="max-w-xl">
        <CardHeader title="Team details" description="You will be its owner. You can rename it later." />
        <Form method="post" noValidate>
          <CardBody className="grid gap-5">
            {errors?.formError && !errors.fieldErrors ? <Alert>{errors.formError}</Alert> : null}
            <Field label="Team name" name="name" required maxLength={100} autoFocus autoComplete="organization" error={errors?.fieldErrors?.name} />
          </CardBody>
          <CardFooter>
            <Button type="submit" disabled={busy}>{busy ? 'Creating…' : 'Create team'}</Button>
          </CardFooter>
        </Form>
      </Card>
    </AppShell>
  )
}
