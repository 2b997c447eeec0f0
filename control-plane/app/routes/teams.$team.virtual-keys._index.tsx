import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { PageHeader } from '../components/app-shell.tsx'
import { DateTime } from '../components/date-time.tsx'
import { KeyIcon } from '../components/icons.tsx'
import { RouteErrorBoundary } from '../components/route-error.tsx'
import { Alert } from '../components/ui/alert.tsx'
import { Button } from '../components/ui/button.tsx'
import { Card, CardBody, CardFooter, CardHeader } from '../components/ui/card.tsx'
import { FOCUS_RING } from '../components/ui/cn.ts'
import { SecretReveal } from '../components/ui/copy-button.tsx'
import { EmptyState } from '../components/ui/empty-state.tsx'
import { Table, TBody, Td, Th } from '../components/ui/table.tsx'
import { EMPTY_VIRTUAL_KEY, VirtualKeyFields, VirtualKeyStatusBadge } from '../components/virtual-key-fields.tsx'
import { listVirtualKeys } from '../models/virtual-key.server.ts'
import { requireTeamRole } from '../services/auth.server.ts'
import { type ActionErrors, invalidForm, serviceCall, teamActor } from '../services/console-actions.server.ts'
import { can } from '../services/permissions.ts'
import { parseCreateVirtualKeyForm, virtualKeyFieldOf } from '../services/virtual-key-forms.server.ts'
import { connectionNames, ownerNames, toVirtualKeyView, type VirtualKeyView } from '../services/virtual-key-views.server.ts'
import { issueVirtualKey } from '../services/virtual-keys.server.ts'

export const meta: MetaFunction = () => [{ title: 'Virtual keys · Switchyard' }]

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const auth = await requireTeamRole(request, context, params.team, 'virtualKeys.read')
  const [rows, owners, connections] = await Promise.all([
    listVirtualKeys(context.services.db, auth.team.id, { limit: 200, cursor: null }),
    ownerNames(context, auth),
    connectionNames(context, auth.team.id),
  ])
  return {
    team: { slug: auth.team.slug },
    canWrite: can(auth.role, 'virtualKeys.write'),
    connections,
    keys: rows.slice(0, 200).map((row) => toVirtualKeyView(row, owners)),
  }
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const auth = await requireTeamRole(request, context, params.team, 'virtualKeys.write')
  const parsed = parseCreateVirtualKeyForm(await request.formData())
  if (!parsed.ok) return invalidForm('create', parsed.fieldErrors)
  const result = await serviceCall('create', virtualKeyFieldOf, () => issueVirtualKey(context.services, teamActor(auth), parsed.body))
  if (!result.ok) return result.response
  const { id, name, key } = result.value
  // The plaintext travels in this one response only: a reload shows the list without it.
  return data({ intent: 'created' as const, created: { id, name, key } }, { headers: { 'Cache-Control': 'no-store' } })
}

type Created = { intent: 'created'; created: { id: string; name: string; key: string } }

function NewKey({ slug, created }: { slug: string; created: Created['created'] }) {
  return (
    <Card className="border-amber-300">
      <CardHeader title={`Your new key “${created.name}”`} description="Use it as the API key of the OpenAI or Anthropic SDK, with Switchyard as the base URL." />
      <CardBody className="space-y-4">
        <Alert tone="info">
          <strong className="font-semibold">Copy this key now.</strong> It is shown only once: Switchyard stores a hash, so nobody can show it again.
          If you lose it, rotate the key.
        </Alert>
        <SecretReveal value={created.key} label="New virtual key" />
        <Link to={`/teams/${slug}/virtual-keys/${created.id}`} className={`text-sm font-medium text-indigo-700 hover:underline ${FOCUS_RING}`}>
          I have stored it: open the key’s settings →
        </Link>
      </CardBody>
    </Card>
  )
}

function CreateKey({ connections, errors }: { connections: string[]; errors: ActionErrors | undefined }) {
  const busy = useNavigation().state === 'submitting'
  return (
    <Card>
      <CardHeader id="create-key" title="Create a virtual key" description="Your apps call Switchyard with a virtual key, never with your provider keys." />
      <Form method="post" aria-labelledby="create-key" autoComplete="off">
        <CardBody className="grid gap-5 sm:grid-cols-2">
          {errors?.formError ? <div className="sm:col-span-2"><Alert>{errors.formError}</Alert></div> : null}
          <VirtualKeyFields values={EMPTY_VIRTUAL_KEY} connections={connections} errors={errors?.fieldErrors} />
        </CardBody>
        <CardFooter>
          <Button type="submit" disabled={busy}>{busy ? 'Creating…' : 'Create key'}</Button>
        </CardFooter>
      </Form>
    </Card>
  )
}

function KeyTable({ slug, keys }: { slug: string; keys: VirtualKeyView[] }) {
  return (
    <Card>
      <Table caption="Virtual keys">
        <thead className="bg-slate-50">
          <tr>
            <Th>Name</Th>
            <Th>Key</Th>
            <Th>Allowed models</Th>
            <Th>Expires</Th>
            <Th>Last used</Th>
            <Th>Owner</Th>
            <Th>Status</Th>
          </tr>
        </thead>
        <TBody>
          {keys.map((k) => (
            <tr key={k.id} className="hover:bg-slate-50">
              <Td className="font-medium">
                <Link to={`/teams/${slug}/virtual-keys/${k.id}`} className={`rounded text-indigo-700 hover:underline ${FOCUS_RING}`}>{k.name}</Link>
              </Td>
              <Td className="font-mono text-xs">sy-…{k.keyHint}</Td>
              <Td className="max-w-[14rem] truncate font-mono text-xs" title={k.allowedModels.join(', ')}>
                {k.allowedModels.length ? k.allowedModels.join(', ') : <span className="font-sans text-slate-400">All models</span>}
              </Td>
              <Td><DateTime iso={k.expiresAt} fallback="Never" /></Td>
              <Td><DateTime iso={k.lastUsedAt} fallback="Never" /></Td>
              <Td>{k.owner}</Td>
              <Td><VirtualKeyStatusBadge status={k.status} /></Td>
            </tr>
          ))}
        </TBody>
      </Table>
    </Card>
  )
}

export default function VirtualKeys() {
  const { team, canWrite, connections, keys } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>() as Created | ActionErrors | undefined
  const created = result && 'created' in result ? result.created : null
  const errors = result && !('created' in result) ? result : undefined
  return (
    <>
      <PageHeader title="Virtual keys" description="The keys your apps use to call Switchyard. Each is scoped to models, can expire, and can be revoked at any time." />
      <div className="space-y-6">
        {created ? <NewKey slug={team.slug} created={created} /> : null}
        {keys.length === 0 ? (
          <EmptyState
            icon={<KeyIcon className="h-6 w-6" />}
            title="No virtual keys yet"
            description={
              canWrite
                ? connections.length
                  ? 'Create your first key below, then call Switchyard with the OpenAI SDK using it.'
                  : 'Add a provider connection first, then create a key for your apps below.'
                : 'Members and admins create virtual keys; ask one for a key.'
            }
          />
        ) : (
          <KeyTable slug={team.slug} keys={keys} />
        )}
        {canWrite ? <CreateKey key={created?.id ?? 'new'} connections={connections} errors={errors} /> : null}
      </div>
    </>
  )
}

export const ErrorBoundary = RouteErrorBoundary
