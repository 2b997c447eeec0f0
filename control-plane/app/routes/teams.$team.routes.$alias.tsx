import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { ROUTE_ALIAS_REGEX } from '@switchyard/shared/snapshot/plan'
import { useState } from 'react'
import { z } from 'zod'
import { PutRouteBody } from '../api/route-schemas.ts'
import { toRouteResource, toRouteVersionResource } from '../api/routes/routes.server.ts'
import { PageHeader } from '../components/app-shell.tsx'
import { DangerZone } from '../components/danger-zone.tsx'
import { RouteErrorBoundary } from '../components/route-error.tsx'
import { initialDraft, PlanEditor, type PlanDraftState, useValidation } from '../components/routes/plan-editor.tsx'
import type { Json } from '../components/routes/plan-draft.ts'
import { VersionList } from '../components/routes/version-list.tsx'
import { Alert } from '../components/ui/alert.tsx'
import { Button } from '../components/ui/button.tsx'
import { Card, CardBody, CardFooter, CardHeader } from '../components/ui/card.tsx'
import { Field } from '../components/ui/field.tsx'
import { getRouteByAlias } from '../models/route.server.ts'
import { redirectWithToast } from '../services/auth-route.server.ts'
import { requireTeamRole, type TeamAuthed } from '../services/auth.server.ts'
import { type ActionErrors, formText, invalidForm, serviceCall, teamActor, zodFieldErrors } from '../services/console-actions.server.ts'
import { can } from '../services/permissions.ts'
import { deleteRoute, listVersions, rollbackRoute, saveRoute } from '../services/routes.server.ts'
import { connectionNames } from '../services/virtual-key-views.server.ts'

// One route: the plan editor (tree + JSON, validated as you type with the shared schema), Save
// (each save is a version), the versions with a diff against the current one and one-click
// rollback. `?new` opens a draft for an alias that has no route yet (writers only).
// No "try it" box yet: the data plane does not serve routes so far.

export const meta: MetaFunction<typeof loader> = ({ data: d }) => [{ title: `${d?.alias ?? 'Route'} · Routes · Switchyard` }]

type Ctx = LoaderFunctionArgs['context']

async function loadRoute(context: Ctx, teamId: string, alias: string | undefined) {
  const row = alias && ROUTE_ALIAS_REGEX.test(alias) ? await getRouteByAlias(context.services.db, teamId, alias) : null
  return { alias: alias ?? '', row }
}

const notFound = () => new Response('Route not found', { status: 404, statusText: 'Not Found' })

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const auth = await requireTeamRole(request, context, params.team, 'routes.read')
  const { alias, row } = await loadRoute(context, auth.team.id, params.alias)
  const canWrite = can(auth.role, 'routes.write')
  const isNew = new URL(request.url).searchParams.has('new')
  if (!row && !(isNew && canWrite && ROUTE_ALIAS_REGEX.test(alias))) throw notFound()
  const connections = await connectionNames(context, auth.team.id)
  const versions = row ? await listVersions(context.services, teamActor(auth), alias, { limit: 50, cursor: null }) : { data: [] }
  return {
    team: { slug: auth.team.slug },
    alias,
    canWrite,
    connections,
    route: row ? toRouteResource(row) : null,
    versions: versions.data.map(toRouteVersionResource),
    draft: row ? null : { type: 'fallback', children: [{ type: 'target', model: `${connections[0] ?? ''}/` }] },
  }
}

const Intent = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('save') }),
  z.object({ intent: z.literal('rollback'), version: z.coerce.number().int().positive() }),
  z.object({ intent: z.literal('delete') }),
])

type ActionCtx = { auth: TeamAuthed; context: Ctx; alias: string; row: Awaited<ReturnType<typeof loadRoute>>['row']; form: FormData }
const routePath = (c: ActionCtx) => `/teams/${c.auth.team.slug}/routes/${c.alias}`

async function save(c: ActionCtx) {
  let plan: unknown
  try {
    plan = JSON.parse(String(c.form.get('plan') ?? ''))
  } catch {
    return invalidForm('save', { plan: 'The plan is not valid JSON.' })
  }
  // The console edits plan and description; the route's cache settings are kept as they are.
  const body = PutRouteBody.safeParse({ plan, description: formText(c.form, 'description') ?? null, cache: c.row?.cache ?? null })
  if (!body.success) return invalidForm('save', zodFieldErrors(body.error))
  const result = await serviceCall('save', (p) => p, () => saveRoute(c.context.services, teamActor(c.auth), c.alias, body.data))
  if (!result.ok) return result.response
  const { route, changed } = result.value
  const message = changed ? `Saved version ${route.version}: it is live.` : `No changes: version ${route.version} stays live.`
  return redirectWithToast(routePath(c), { kind: 'success', message }, c.context)
}

async function rollback(c: ActionCtx, version: number) {
  if (!c.row) throw notFound()
  const result = await serviceCall('rollback', (p) => p, () => rollbackRoute(c.context.services, teamActor(c.auth), c.alias, version))
  if (!result.ok) return result.response
  return redirectWithToast(routePath(c), { kind: 'success', message: `Rolled back: version ${result.value.version} (a copy of version ${version}) is live.` }, c.context)
}

async function remove(c: ActionCtx) {
  if (!c.row) throw notFound()
  const result = await serviceCall('delete', (p) => p, () => deleteRoute(c.context.services, teamActor(c.auth), c.alias))
  if (!result.ok) return result.response
  return redirectWithToast(`/teams/${c.auth.team.slug}/routes`, { kind: 'success', message: `Route "${c.alias}" deleted.` }, c.context)
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const auth = await requireTeamRole(request, context, params.team, 'routes.write')
  const { alias, row } = await loadRoute(context, auth.team.id, params.alias)
  if (!ROUTE_ALIAS_REGEX.test(alias)) throw notFound()
  const form = await request.formData()
  const intent = Intent.safeParse(Object.fromEntries(form))
  if (!intent.success) return invalidForm('unknown', { form: 'Unknown action.' })
  const c = { auth, context, alias, row, form }
  if (intent.data.intent === 'rollback') return rollback(c, intent.data.version)
  return intent.data.intent === 'save' ? save(c) : remove(c)
}

/** Server field errors are keyed by body path (`plan.children.0.model`); the editor's by plan path. */
function planErrors(errors: ActionErrors | undefined): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [path, message] of Object.entries(errors?.fieldErrors ?? {})) {
    if (path === 'plan') out[''] = message
    else if (path.startsWith('plan.')) out[path.slice(5)] = message
  }
  return out
}

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>

/** The editor card; keyed by the live version, so a save or rollback starts from what is live. */
function PlanCard({ data }: { data: LoaderData }) {
  const errors = useActionData<typeof action>() as ActionErrors | undefined
  const busy = useNavigation().state === 'submitting'
  const [draft, setDraft] = useState<PlanDraftState>(() => initialDraft((data.route?.plan ?? data.draft) as Json))
  const [submitted, setSubmitted] = useState<string | null>(null)
  const validation = useValidation(draft, planErrors(errors), submitted)
  const invalid = validation.size > 0 || draft.jsonError !== null
  const saveErrors = errors && errors.intent === 'save' ? errors : undefined
  return (
    <Card>
      <CardHeader id="plan" title="Plan" description="Build the tree on the left or edit the JSON on the right; both stay in step." />
      <Form method="post" aria-labelledby="plan" onSubmit={() => setSubmitted(draft.json)}>
        <input type="hidden" name="intent" value="save" />
        <input type="hidden" name="plan" value={draft.json} />
        <CardBody className="space-y-4">
          {saveErrors?.formError ? <Alert>{saveErrors.formError}</Alert> : null}
          <PlanEditor draft={draft} onChange={setDraft} errors={validation} connections={data.connections} readOnly={!data.canWrite} />
          <Field label="Description" name="description" defaultValue={data.route?.description ?? ''} disabled={!data.canWrite} maxLength={500} error={saveErrors?.fieldErrors?.description} />
        </CardBody>
        {data.canWrite ? (
          <CardFooter>
            <Button type="submit" disabled={busy || invalid}>
              {busy ? 'Saving…' : data.route ? 'Save a new version' : 'Create the route'}
            </Button>
          </CardFooter>
        ) : null}
      </Form>
    </Card>
  )
}

export default function RoutePage() {
  const data = useLoaderData<typeof loader>()
  return (
    <>
      <PageHeader
        title={data.alias}
        description={data.route ? `Version ${data.route.version} is live. Apps call it with model "${data.alias}".` : 'A new route: nothing is live until you save.'}
      />
      <div className="space-y-6">
        <PlanCard key={data.route?.version ?? 'new'} data={data} />
        {data.route ? <VersionList versions={data.versions} current={data.route} canWrite={data.canWrite} /> : null}
        {data.route && data.canWrite ? (
          <DangerZone title="Delete this route" description="Deletes the route and all its versions. Apps calling it get 404 within seconds." buttonLabel="Delete route" />
        ) : null}
      </div>
    </>
  )
}

export const ErrorBoundary = RouteErrorBoundary
