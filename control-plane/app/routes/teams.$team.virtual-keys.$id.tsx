import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { PageHeader } from '../components/app-shell.tsx'
import { DangerZone } from '../components/danger-zone.tsx'
import { DateTime } from '../components/date-time.tsx'
import { RouteErrorBoundary } from '../components/route-error.tsx'
import { Alert } from '../components/ui/alert.tsx'
import { Button } from '../components/ui/button.tsx'
import { Card, CardBody, CardFooter, CardHeader } from '../components/ui/card.tsx'
import { SecretReveal } from '../components/ui/copy-button.tsx'
import { SelectField } from '../components/ui/field.tsx'
import { GRACE_PERIODS, VirtualKeyFields, VirtualKeyStatusBadge } from '../components/virtual-key-fields.tsx'
import { getVirtualKey } from '../models/virtual-key.server.ts'
import { redirectWithToast } from '../services/auth-route.server.ts'
import { requireTeamRole, type TeamAuthed } from '../services/auth.server.ts'
import { type ActionErrors, invalidForm, serviceCall, teamActor } from '../services/console-actions.server.ts'
import { can } from '../services/permissions.ts'
import { parseGracePeriod, parseUpdateVirtualKeyForm, virtualKeyFieldOf } from '../services/virtual-key-forms.server.ts'
import { connectionNames, ownerNames, toVirtualKeyView, type VirtualKeyView } from '../services/virtual-key-views.server.ts'
import { revokeKey, rotateKey, updateKey } from '../services/virtual-keys.server.ts'

export const meta: MetaFunction<typeof loader> = ({ data: d }) => [{ title: `${d?.key.name ?? 'Virtual key'} · Switchyard` }]

async function loadKey(context: LoaderFunctionArgs['context'], teamId: string, id: string | undefined) {
  const row = id ? await getVirtualKey(context.services.db, teamId, id) : null
  if (!row) throw new Response('Virtual key not found', { status: 404, statusText: 'Not Found' })
  return row
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const auth = await requireTeamRole(request, context, params.team, 'virtualKeys.read')
  const row = await loadKey(context, auth.team.id, params.id)
  const [owners, connections] = await Promise.all([ownerNames(context, auth), connectionNames(context, auth.team.id)])
  return { team: { slug: auth.team.slug }, canWrite: can(auth.role, 'virtualKeys.write'), connections, key: toVirtualKeyView(row, owners) }
}

const Intent = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('update') }),
  z.object({ intent: z.literal('rotate') }),
  z.object({ intent: z.literal('revoke') }),
])

type Ctx = { auth: TeamAuthed; context: ActionFunctionArgs['context']; row: Awaited<ReturnType<typeof loadKey>>; form: FormData }
const keysPath = (c: Ctx) => `/teams/${c.auth.team.slug}/virtual-keys`

async function update(c: Ctx) {
  const parsed = parseUpdateVirtualKeyForm(c.form, c.row.rotatedToId === null)
  if (!parsed.ok) return invalidForm('update', parsed.fieldErrors)
  const result = await serviceCall('update', virtualKeyFieldOf, () => updateKey(c.context.services, teamActor(c.auth), c.row.id, parsed.body))
  if (!result.ok) return result.response
  return redirectWithToast(`${keysPath(c)}/${c.row.id}`, { kind: 'success', message: 'Key settings saved.' }, c.context)
}

async function rotate(c: Ctx) {
  const grace = parseGracePeriod(c.form)
  if (grace === null) return invalidForm('rotate', { gracePeriodSeconds: 'Choose a grace period.' })
  const result = await serviceCall('rotate', virtualKeyFieldOf, () => rotateKey(c.context.services, teamActor(c.auth), c.row.id, grace))
  if (!result.ok) return result.response
  const { id, name, key } = result.value
  return data({ intent: 'rotated' as const, created: { id, name, key } }, { headers: { 'Cache-Control': 'no-store' } })
}

async function revoke(c: Ctx) {
  const result = await serviceCall('revoke', virtualKeyFieldOf, () => revokeKey(c.context.services, teamActor(c.auth), c.row.id))
  if (!result.ok) return result.response
  return redirectWithToast(keysPath(c), { kind: 'success', message: `Key "${c.row.name}" revoked: it stops working within seconds.` }, c.context)
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const auth = await requireTeamRole(request, context, params.team, 'virtualKeys.write')
  const row = await loadKey(context, auth.team.id, params.id)
  const form = await request.formData()
  const intent = Intent.safeParse(Object.fromEntries(form))
  if (!intent.success) return invalidForm('unknown', { form: 'Unknown action.' })
  const handlers = { update, rotate, revoke }
  return handlers[intent.data.intent]({ auth, context, row, form })
}

type Rotated = { intent: 'rotated'; created: { id: string; name: string; key: string } }

function RotateCard({ keyView, result }: { keyView: VirtualKeyView; result: Rotated | ActionErrors | undefined }) {
  const errors = result && result.intent === 'rotate' && !('created' in result) ? result : undefined
  if (keyView.rotatedToId) {
    return null
  }
  return (
    <Card>
      <CardHeader title="Rotate" description="Issues a new key with the same settings. The old key keeps working for the grace period, so you can roll it out." />
      <Form method="post">
        <CardBody className="grid gap-5 sm:grid-cols-2">
          {errors?.formError ? <div className="sm:col-span-2"><Alert>{errors.formError}</Alert></div> : null}
          <SelectField label="Grace period for the old key" name="gracePeriodSeconds" defaultValue="3600" error={errors?.fieldErrors?.gracePeriodSeconds}>
            {GRACE_PERIODS.map((g) => <option key={g.seconds} value={g.seconds}>{g.label}</option>)}
          </SelectField>
        </CardBody>
        <CardFooter>
          <Button type="submit" name="intent" value="rotate" variant="secondary">Rotate key</Button>
        </CardFooter>
      </Form>
    </Card>
  )
}

function Summary({ k }: { k: VirtualKeyView }) {
  const item = (label: string, value: React.ReactNode) => (
    <div><dt className="text-slate-500">{label}</dt><dd className="mt-1 text-slate-900">{value}</dd></div>
  )
  return (
    <Card>
      <CardBody>
        <dl className="grid gap-4 text-sm sm:grid-cols-4">
          {item('Key', <span className="font-mono">sy-…{k.keyHint}</span>)}
          {item('Owner', k.owner)}
          {item('Last used', <DateTime iso={k.lastUsedAt} fallback="Never" />)}
          {item('Expires', <DateTime iso={k.expiresAt} fallback="Never" />)}
          {item('Allowed models', k.allowedModels.length ? <span className="font-mono text-xs">{k.allowedModels.join(', ')}</span> : 'All models')}
          {item('Created', <DateTime iso={k.createdAt} />)}
        </dl>
      </CardBody>
    </Card>
  )
}

export default function VirtualKeyDetail() {
  const { team, canWrite, connections, key: k } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>() as Rotated | ActionErrors | undefined
  const rotated = result && 'created' in result ? result.created : null
  const updateErrors = result && result.intent === 'update' && !('created' in result) ? result : undefined
  const base = `/teams/${team.slug}/virtual-keys`
  return (
    <>
      <p className="mb-2 text-sm"><Link to={base} className="text-slate-500 hover:text-slate-700">← Virtual keys</Link></p>
      <PageHeader title={k.name} description={<span className="inline-flex items-center gap-2"><VirtualKeyStatusBadge status={k.status} /> sy-…{k.keyHint}</span>} />
      <div className="space-y-6">
        {rotated ? (
          <Card className="border-amber-300">
            <CardHeader title="The new key" description="It has the same name, models, expiry and limits." />
            <CardBody className="space-y-4">
              <Alert tone="info"><strong className="font-semibold">Copy this key now.</strong> It is shown only once.</Alert>
              <SecretReveal value={rotated.key} label="Rotated virtual key" />
              <Link to={`${base}/${rotated.id}`} className="text-sm font-medium text-indigo-700 hover:underline">Open the new key →</Link>
            </CardBody>
          </Card>
        ) : k.rotatedToId ? (
          <Alert tone="info">This key was rotated. <Link to={`${base}/${k.rotatedToId}`} className="font-medium underline">Open its successor</Link>.</Alert>
        ) : null}
        <Summary k={k} />
        {canWrite ? (
          <>
            <Card>
              <CardHeader title="Settings" />
              <Form method="post" autoComplete="off">
                <CardBody className="grid gap-5 sm:grid-cols-2">
                  {updateErrors?.formError ? <div className="sm:col-span-2"><Alert>{updateErrors.formError}</Alert></div> : null}
                  <VirtualKeyFields values={k} connections={connections} errors={updateErrors?.fieldErrors} expiryFixed={k.rotatedToId !== null} />
                </CardBody>
                <CardFooter><Button type="submit" name="intent" value="update">Save changes</Button></CardFooter>
              </Form>
            </Card>
            <RotateCard keyView={k} result={result} />
            <DangerZone intent="revoke" title="Revoke this key" description="Requests with it are refused (401) within seconds. This cannot be undone." buttonLabel="Revoke key" />
          </>
        ) : null}
      </div>
    </>
  )
}

export const ErrorBoundary = RouteErrorBoundary
