import type { ProviderType } from '@switchyard/shared/snapshot'
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { z } from 'zod'
import { PageHeader } from '../components/app-shell.tsx'
import { DateTime } from '../components/date-time.tsx'
import { BaseUrlField, CredentialFields, PROVIDER_TYPE_INFO, ProviderTypeBadge, SettingsFields } from '../components/provider-fields.tsx'
import { DangerZone } from '../components/danger-zone.tsx'
import { RouteErrorBoundary } from '../components/route-error.tsx'
import { Alert } from '../components/ui/alert.tsx'
import { Button } from '../components/ui/button.tsx'
import { Card, CardBody, CardFooter, CardHeader } from '../components/ui/card.tsx'
import { Field } from '../components/ui/field.tsx'
import { getProviderConnection } from '../models/provider-connection.server.ts'
import type { TeamAuthed } from '../services/auth.server.ts'
import { redirectWithToast } from '../services/auth-route.server.ts'
import { requireTeamRole } from '../services/auth.server.ts'
import { type ActionErrors, invalidForm, serviceCall, teamActor } from '../services/console-actions.server.ts'
import { can } from '../services/permissions.ts'
import { parseRotateProviderForm, parseUpdateProviderForm, providerFieldOf } from '../services/provider-forms.server.ts'
import { deleteProvider, testProvider, updateProvider } from '../services/providers.server.ts'

export const meta: MetaFunction<typeof loader> = ({ data: d }) => [{ title: `${d?.connection.name ?? 'Provider'} · Switchyard` }]

async function loadConnection(context: LoaderFunctionArgs['context'], teamId: string, id: string | undefined) {
  const row = id ? await getProviderConnection(context.services.db, teamId, id) : null
  if (!row) throw new Response('Provider connection not found', { status: 404, statusText: 'Not Found' })
  return row
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { team, role } = await requireTeamRole(request, context, params.team, 'providers.read')
  const row = await loadConnection(context, team.id, params.id)
  const settings = typeof row.settings === 'object' && row.settings !== null && !Array.isArray(row.settings) ? (row.settings as Record<string, unknown>) : {}
  return {
    team: { slug: team.slug },
    canWrite: can(role, 'providers.write'),
    connection: {
      id: row.id,
      name: row.name,
      type: row.type as ProviderType,
      baseUrl: row.baseUrl,
      keyHint: row.keyHint,
      settings,
      createdAt: row.createdAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
    },
  }
}

const Intent = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('update') }),
  z.object({ intent: z.literal('rotate-key') }),
  z.object({ intent: z.literal('test') }),
  z.object({ intent: z.literal('delete'), confirm: z.string().default('') }),
])

type Row = Awaited<ReturnType<typeof loadConnection>>
type Ctx = { auth: TeamAuthed; context: ActionFunctionArgs['context']; row: Row; form: FormData }

const base = (c: Ctx) => `/teams/${c.auth.team.slug}/providers`

async function save(c: Ctx, intent: 'update' | 'rotate-key') {
  const type = c.row.type as ProviderType
  const parsed = intent === 'update' ? parseUpdateProviderForm(type, c.form) : parseRotateProviderForm(type, c.form)
  if (!parsed.ok) return invalidForm(intent, parsed.fieldErrors)
  const result = await serviceCall(intent, providerFieldOf, () => updateProvider(c.context.services, teamActor(c.auth), c.row.id, parsed.body))
  if (!result.ok) return result.response
  const message = intent === 'update' ? 'Connection saved.' : `Key replaced: it now ends in ${result.value.keyHint}.`
  return redirectWithToast(`${base(c)}/${c.row.id}`, { kind: 'success', message }, c.context)
}

async function remove(c: Ctx, confirm: string) {
  if (confirm.trim() !== c.row.name) return invalidForm('delete', { confirm: `Type ${c.row.name} to confirm.` })
  const result = await serviceCall('delete', providerFieldOf, () => deleteProvider(c.context.services, teamActor(c.auth), c.row.id))
  if (!result.ok) return result.response
  return redirectWithToast(base(c), { kind: 'success', message: `Connection "${c.row.name}" deleted.` }, c.context)
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const auth = await requireTeamRole(request, context, params.team, 'providers.write')
  const row = await loadConnection(context, auth.team.id, params.id)
  const form = await request.formData()
  const intent = Intent.safeParse(Object.fromEntries(form))
  if (!intent.success) return invalidForm('unknown', { form: 'Unknown action.' })
  const c: Ctx = { auth, context, row, form }
  switch (intent.data.intent) {
    case 'update':
    case 'rotate-key':
      return save(c, intent.data.intent)
    case 'delete':
      return remove(c, intent.data.confirm)
    case 'test':
      return data({ intent: 'test' as const, test: await testProvider(context.services, teamActor(auth), row.id) })
  }
}

type ActionResult = ActionErrors | { intent: 'test'; test: { ok: boolean; status?: number; latencyMs: number; message: string } }

function errorsFor(result: ActionResult | undefined, intent: string): ActionErrors | undefined {
  return result && result.intent === intent && !('test' in result) ? result : undefined
}

function SettingsCard({ connection, errors }: { connection: ReturnType<typeof useLoaderData<typeof loader>>['connection']; errors: ActionErrors | undefined }) {
  const fe = errors?.fieldErrors
  return (
    <Card>
      <CardHeader title="Settings" description="Renaming changes the model prefix your apps use." />
      <Form method="post">
        <CardBody className="grid gap-5 sm:grid-cols-2">
          {errors?.formError ? <div className="sm:col-span-2"><Alert>{errors.formError}</Alert></div> : null}
          <Field label="Connection name" name="name" required defaultValue={connection.name} error={fe?.name} description={<>Models are called as <code>{connection.name}/…</code></>} />
          <BaseUrlField type={connection.type} defaultValue={connection.baseUrl} error={fe?.baseUrl} />
          <SettingsFields type={connection.type} settings={connection.settings} errors={fe} />
        </CardBody>
        <CardFooter>
          <Button type="submit" name="intent" value="update">Save changes</Button>
        </CardFooter>
      </Form>
    </Card>
  )
}

function TestCard({ result }: { result: ActionResult | undefined }) {
  const busy = useNavigation().formData?.get('intent') === 'test'
  const test = result && 'test' in result ? result.test : null
  return (
    <Card>
      <CardHeader title="Test connection" description="Calls the provider's cheapest authenticated endpoint with the stored key." />
      <CardBody className="space-y-4">
        {test ? (
          <Alert tone={test.ok ? 'success' : 'error'}>
            <p className="font-semibold">{test.ok ? `Connected · ${test.latencyMs} ms` : `Connection failed${test.status ? ` · HTTP ${test.status}` : ''}`}</p>
            <p className="mt-1">{test.message}</p>
          </Alert>
        ) : null}
        <Form method="post">
          <Button type="submit" name="intent" value="test" variant="secondary" disabled={busy}>
            {busy ? 'Testing…' : 'Test connection'}
          </Button>
        </Form>
      </CardBody>
    </Card>
  )
}

function RotateCard({ type, keyHint, errors }: { type: ProviderType; keyHint: string; errors: ActionErrors | undefined }) {
  return (
    <Card>
      <CardHeader title="Replace the key" description={`The stored key ends in ••••${keyHint || '—'}. The new one takes effect immediately.`} />
      <Form method="post" autoComplete="off">
        <CardBody className="grid gap-5 sm:grid-cols-2">
          {errors?.formError ? <div className="sm:col-span-2"><Alert>{errors.formError}</Alert></div> : null}
          <CredentialFields type={type} errors={errors?.fieldErrors} replacing />
        </CardBody>
        <CardFooter>
          <Button type="submit" name="intent" value="rotate-key">Replace key</Button>
        </CardFooter>
      </Form>
    </Card>
  )
}

export default function ProviderDetail() {
  const { team, canWrite, connection } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>() as ActionResult | undefined
  return (
    <>
      <p className="mb-2 text-sm">
        <Link to={`/teams/${team.slug}/providers`} className="text-slate-500 hover:text-slate-700">← Providers</Link>
      </p>
      <PageHeader
        title={connection.name}
        description={<span className="inline-flex flex-wrap items-center gap-2"><ProviderTypeBadge type={connection.type} /> Key ••••{connection.keyHint || '—'} · updated <DateTime iso={connection.updatedAt} /></span>}
      />
      {canWrite ? (
        <div className="space-y-6">
          <TestCard result={result} />
          <SettingsCard connection={connection} errors={errorsFor(result, 'update')} />
          <RotateCard type={connection.type} keyHint={connection.keyHint} errors={errorsFor(result, 'rotate-key')} />
          <DangerZone
            title="Delete this connection"
            description={`Requests for ${connection.name}/… fail from now on. Virtual keys stay.`}
            confirmLabel={`Type ${connection.name} to confirm`}
            buttonLabel="Delete connection"
            error={errorsFor(result, 'delete')?.fieldErrors?.confirm}
          />
        </div>
      ) : (
        <Card>
          <CardBody className="grid gap-4 text-sm sm:grid-cols-2">
            <div><p className="text-slate-500">Type</p><p className="mt-1">{PROVIDER_TYPE_INFO[connection.type].label}</p></div>
            <div><p className="text-slate-500">Base URL</p><p className="mt-1 font-mono text-xs">{connection.baseUrl ?? 'Provider default'}</p></div>
            <div className="sm:col-span-2"><Alert tone="info">Only team owners and admins change, test or delete connections.</Alert></div>
          </CardBody>
        </Card>
      )}
    </>
  )
}

export const ErrorBoundary = RouteErrorBoundary
