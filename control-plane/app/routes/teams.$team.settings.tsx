import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { z } from 'zod'
import { UpdateTeamBody } from '../api/schemas.ts'
import { PageHeader } from '../components/app-shell.tsx'
import { DangerZone } from '../components/danger-zone.tsx'
import { DateTime } from '../components/date-time.tsx'
import { Alert } from '../components/ui/alert.tsx'
import { Button } from '../components/ui/button.tsx'
import { Card, CardBody, CardFooter, CardHeader } from '../components/ui/card.tsx'
import { Field } from '../components/ui/field.tsx'
import { redirectWithToast } from '../services/auth-route.server.ts'
import { requireTeamRole } from '../services/auth.server.ts'
import { type ActionErrors, invalidForm, serviceCall, teamActor, zodFieldErrors } from '../services/console-actions.server.ts'
import { can, type Permission } from '../services/permissions.ts'
import { deleteTeam, getCurrentTeam, renameTeam } from '../services/teams.server.ts'

// Team settings: rename (team.update) and delete (owner; typing the slug confirms).
export const meta: MetaFunction = () => [{ title: 'Team settings · Switchyard' }]

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const auth = await requireTeamRole(request, context, params.team, 'team.read')
  const team = await getCurrentTeam(context.services, teamActor(auth))
  return {
    team: { name: team.name, slug: team.slug, createdAt: team.createdAt.toISOString() },
    canUpdate: can(auth.role, 'team.update'),
    canDelete: can(auth.role, 'team.delete'),
  }
}

const Intent = z.discriminatedUnion('intent', [
  UpdateTeamBody.extend({ intent: z.literal('rename'), name: z.string().trim().min(1, 'Give the team a name.').max(100, 'Use at most 100 characters.') }),
  z.object({ intent: z.literal('delete'), confirm: z.string().trim().default('') }),
])
const PERMISSION: Record<z.infer<typeof Intent>['intent'], Permission> = { rename: 'team.update', delete: 'team.delete' }

export async function action({ request, params, context }: ActionFunctionArgs) {
  const auth = await requireTeamRole(request, context, params.team, 'team.read')
  const fields = Object.fromEntries(await request.formData())
  const intent = typeof fields.intent === 'string' ? fields.intent : 'unknown'
  const permission = PERMISSION[intent as keyof typeof PERMISSION] as Permission | undefined
  if (permission && !can(auth.role, permission)) throw new Response('Your role in this team does not allow this', { status: 403, statusText: 'Forbidden' })
  const parsed = Intent.safeParse(fields)
  if (!parsed.success) return invalidForm(intent, zodFieldErrors(parsed.error))
  const actor = teamActor(auth)
  if (parsed.data.intent === 'rename') {
    const name = parsed.data.name
    const r = await serviceCall('rename', () => 'name', () => renameTeam(context.services, actor, { name }))
    return r.ok ? redirectWithToast(`/teams/${auth.team.slug}/settings`, { kind: 'success', message: 'Team renamed.' }, context) : r.response
  }
  const confirm = parsed.data.confirm
  if (confirm !== auth.team.slug) return invalidForm('delete', { confirm: `Type ${auth.team.slug} to confirm.` })
  const r = await serviceCall('delete', () => 'confirm', () => deleteTeam(context.services, actor, { confirm }))
  return r.ok ? redirectWithToast('/', { kind: 'success', message: `${auth.team.name} was deleted.` }, context) : r.response
}

export default function TeamSettings() {
  const { team, canUpdate, canDelete } = useLoaderData<typeof loader>()
  const errors = useActionData<typeof action>() as ActionErrors | undefined
  const busy = useNavigation().formData?.get('intent') === 'rename'
  const renameErrors = errors?.intent === 'rename' ? errors : undefined
  return (
    <>
      <PageHeader title="Team settings" description="The team’s name, and deleting it." />
      <div className="space-y-6">
        <Card>
          <CardHeader title="General" description={canUpdate ? 'The slug in URLs stays the same when you rename the team.' : 'Only owners and admins can change these.'} />
          <Form method="post">
            <input type="hidden" name="intent" value="rename" />
            <CardBody className="grid gap-5 sm:grid-cols-2">
              {renameErrors?.formError && !renameErrors.fieldErrors ? <div className="sm:col-span-2"><Alert>{renameErrors.formError}</Alert></div> : null}
              <Field label="Team name" name="name" defaultValue={team.name} required maxLength={100} disabled={!canUpdate} error={renameErrors?.fieldErrors?.name} />
              <div>
                <p className="block text-sm font-medium text-slate-800">Slug</p>
                <p className="mt-1.5 py-2 font-mono text-sm text-slate-700">{team.slug}</p>
              </div>
              <p className="text-sm text-slate-500 sm:col-span-2">
                Created <DateTime iso={team.createdAt} />
              </p>
            </CardBody>
            {canUpdate ? (
              <CardFooter>
                <Button type="submit" disabled={busy}>{busy ? 'Saving…' : 'Save'}</Button>
              </CardFooter>
            ) : null}
          </Form>
        </Card>
        {canDelete ? (
          <DangerZone
            title="Delete this team"
            description="Deletes its provider connections, virtual keys (they stop working at once), logs and audit trail. This cannot be undone."
            buttonLabel="Delete team"
            confirmLabel={`Type ${team.slug} to confirm`}
            error={errors?.intent === 'delete' ? (errors.fieldErrors?.confirm ?? errors.formError) : undefined}
          />
        ) : null}
      </div>
    </>
  )
}

export { RouteErrorBoundary as ErrorBoundary } from '../components/route-error.tsx'
