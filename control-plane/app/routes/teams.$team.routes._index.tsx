import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { RouteAlias } from '../api/route-schemas.ts'
import { PageHeader } from '../components/app-shell.tsx'
import { DateTime } from '../components/date-time.tsx'
import { RouteIcon } from '../components/icons.tsx'
import { RouteErrorBoundary } from '../components/route-error.tsx'
import { Button } from '../components/ui/button.tsx'
import { Card, CardBody, CardFooter, CardHeader } from '../components/ui/card.tsx'
import { FOCUS_RING } from '../components/ui/cn.ts'
import { EmptyState } from '../components/ui/empty-state.tsx'
import { Field } from '../components/ui/field.tsx'
import { Table, TBody, Td, Th } from '../components/ui/table.tsx'
import { listRoutes } from '../models/route.server.ts'
import { requireTeamRole } from '../services/auth.server.ts'
import { type ActionErrors, invalidForm } from '../services/console-actions.server.ts'
import { can } from '../services/permissions.ts'

// The team's routes: named plans apps call as `model: "<alias>"`. Creating one opens the editor
// on a draft; nothing is saved until the editor's Save.

export const meta: MetaFunction = () => [{ title: 'Routes · Switchyard' }]

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { team, role } = await requireTeamRole(request, context, params.team, 'routes.read')
  const rows = await listRoutes(context.services.db, team.id, { limit: 200, cursor: null })
  return {
    team: { slug: team.slug },
    canWrite: can(role, 'routes.write'),
    routes: rows.slice(0, 200).map((r) => ({ alias: r.alias, version: r.version, description: r.description, updatedAt: r.updatedAt.toISOString() })),
  }
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const auth = await requireTeamRole(request, context, params.team, 'routes.write')
  const form = await request.formData()
  const alias = RouteAlias.safeParse(String(form.get('alias') ?? '').trim())
  if (form.get('intent') !== 'create') return invalidForm('unknown', { form: 'Unknown action.' })
  if (!alias.success) return invalidForm('create', { alias: alias.error.issues[0]?.message ?? 'Invalid alias.' })
  return redirect(`/teams/${auth.team.slug}/routes/${alias.data}?new`)
}

function NewRoute() {
  const errors = useActionData<typeof action>() as ActionErrors | undefined
  return (
    <Card>
      <CardHeader id="new-route" title="New route" description="Pick the alias apps will send as the model name. You build its plan next; it is live from the first save." />
      <Form method="post" aria-labelledby="new-route" autoComplete="off">
        <input type="hidden" name="intent" value="create" />
        <CardBody>
          <Field
            label="Alias"
            name="alias"
            required
            placeholder="support-bot"
            pattern="[a-z0-9][a-z0-9._\-]{0,62}"
            description={<>Lowercase letters, digits, dots, underscores and dashes; never a <code>/</code>.</>}
            error={errors?.fieldErrors?.alias}
          />
        </CardBody>
        <CardFooter>
          <Button type="submit">Open the editor</Button>
        </CardFooter>
      </Form>
    </Card>
  )
}

export default function Routes() {
  const { team, canWrite, routes } = useLoaderData<typeof loader>()
  return (
    <>
      <PageHeader title="Routes" description="Named plans: fallbacks, splits, races and rules across your connections. Apps call them by alias, like a model." />
      <div className="space-y-6">
        {routes.length === 0 ? (
          <EmptyState
            icon={<RouteIcon className="h-6 w-6" />}
            title="No routes yet"
            description={canWrite ? 'Create one below: for example a fallback from one provider to another.' : 'A team admin creates routes.'}
          />
        ) : (
          <Card>
            <Table caption="Routes">
              <thead className="bg-slate-50">
                <tr>
                  <Th>Alias</Th>
                  <Th>Version</Th>
                  <Th>Description</Th>
                  <Th>Updated</Th>
                </tr>
              </thead>
              <TBody>
                {routes.map((r) => (
                  <tr key={r.alias} className="hover:bg-slate-50">
                    <Td className="font-medium">
                      <Link to={`/teams/${team.slug}/routes/${r.alias}`} className={`rounded font-mono text-indigo-700 hover:underline ${FOCUS_RING}`}>
                        {r.alias}
                      </Link>
                    </Td>
                    <Td>v{r.version}</Td>
                    <Td className="max-w-md truncate">{r.description ?? <span className="text-slate-400">—</span>}</Td>
                    <Td>
                      <DateTime iso={r.updatedAt} />
                    </Td>
                  </tr>
                ))}
              </TBody>
            </Table>
          </Card>
        )}
        {canWrite ? <NewRoute /> : null}
      </div>
    </>
  )
}

export const ErrorBoundary = RouteErrorBoundary
