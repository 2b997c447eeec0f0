import type { ProviderType } from '@switchyard/shared/snapshot'
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { useState } from 'react'
import { PageHeader } from '../components/app-shell.tsx'
import { DateTime } from '../components/date-time.tsx'
import { ServerIcon } from '../components/icons.tsx'
import { RouteErrorBoundary } from '../components/route-error.tsx'
import {
  BaseUrlField,
  CredentialFields,
  isProviderType,
  PROVIDER_TYPE_INFO,
  PROVIDER_TYPE_LIST,
  ProviderTypeBadge,
  SettingsFields,
} from '../components/provider-fields.tsx'
import { Alert } from '../components/ui/alert.tsx'
import { Button } from '../components/ui/button.tsx'
import { Card, CardBody, CardFooter, CardHeader } from '../components/ui/card.tsx'
import { FOCUS_RING } from '../components/ui/cn.ts'
import { EmptyState } from '../components/ui/empty-state.tsx'
import { Field, SelectField } from '../components/ui/field.tsx'
import { Table, TBody, Td, Th } from '../components/ui/table.tsx'
import { listProviderConnections } from '../models/provider-connection.server.ts'
import { redirectWithToast } from '../services/auth-route.server.ts'
import { requireTeamRole } from '../services/auth.server.ts'
import { type ActionErrors, invalidForm, serviceCall, teamActor } from '../services/console-actions.server.ts'
import { can } from '../services/permissions.ts'
import { parseCreateProviderForm, providerFieldOf } from '../services/provider-forms.server.ts'
import { createProvider } from '../services/providers.server.ts'

export const meta: MetaFunction = () => [{ title: 'Providers · Switchyard' }]

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { team, role } = await requireTeamRole(request, context, params.team, 'providers.read')
  const rows = await listProviderConnections(context.services.db, team.id, { limit: 200, cursor: null })
  const type = new URL(request.url).searchParams.get('type')
  return {
    team: { slug: team.slug },
    canWrite: can(role, 'providers.write'),
    initialType: isProviderType(type) ? type : 'openai',
    connections: rows.slice(0, 200).map((r) => ({
      id: r.id,
      name: r.name,
      type: r.type,
      baseUrl: r.baseUrl,
      keyHint: r.keyHint,
      updatedAt: r.updatedAt.toISOString(),
    })),
  }
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const auth = await requireTeamRole(request, context, params.team, 'providers.write')
  const parsed = parseCreateProviderForm(await request.formData())
  if (!parsed.ok) return invalidForm('create', parsed.fieldErrors)
  const result = await serviceCall('create', providerFieldOf, () => createProvider(context.services, teamActor(auth), parsed.body))
  if (!result.ok) return result.response
  const message = `Connection "${result.value.name}" added. Test it to check the key.`
  return redirectWithToast(`/teams/${auth.team.slug}/providers/${result.value.id}`, { kind: 'success', message }, context)
}

function AddConnection({ initialType }: { initialType: ProviderType }) {
  const errors = useActionData<typeof action>() as ActionErrors | undefined
  const busy = useNavigation().state === 'submitting'
  const [type, setType] = useState<ProviderType>(initialType)
  const fe = errors?.fieldErrors
  return (
    <Card>
      <CardHeader id="add-connection" title="Add a connection" description="Bring your own provider key. It is encrypted in the vault and never shown again." />
      <Form method="post" aria-labelledby="add-connection" autoComplete="off">
        <CardBody className="grid gap-5 sm:grid-cols-2">
          {errors?.formError ? (
            <div className="sm:col-span-2">
              <Alert>{errors.formError}</Alert>
            </div>
          ) : null}
          <SelectField label="Provider" name="type" value={type} onChange={(e) => setType(e.target.value as ProviderType)} error={fe?.type}>
            {PROVIDER_TYPE_LIST.map((t) => (
              <option key={t} value={t}>
                {PROVIDER_TYPE_INFO[t].label}
              </option>
            ))}
          </SelectField>
          <Field
            label="Connection name"
            name="name"
            required
            placeholder={type === 'openai-compatible' ? 'local-llama' : type}
            pattern="[a-z0-9][a-z0-9\-]{0,62}"
            description={<>Apps call models as <code>name/model</code>. Lowercase letters, digits and dashes.</>}
            error={fe?.name}
          />
          {/* key={type}: switching type clears what was typed for the other one. */}
          <div key={type} className="contents">
            <CredentialFields type={type} errors={fe} />
            <BaseUrlField type={type} error={fe?.baseUrl} />
            <SettingsFields type={type} errors={fe} />
          </div>
        </CardBody>
        <CardFooter>
          <Button type="submit" disabled={busy}>
            {busy ? 'Adding…' : 'Add connection'}
          </Button>
        </CardFooter>
      </Form>
    </Card>
  )
}

function ConnectionTable({ slug, connections }: { slug: string; connections: ReturnType<typeof useLoaderData<typeof loader>>['connections'] }) {
  return (
    <Card>
      <Table caption="Provider connections">
        <thead className="bg-slate-50">
          <tr>
            <Th>Name</Th>
            <Th>Type</Th>
            <Th>Base URL</Th>
            <Th>Key</Th>
            <Th>Updated</Th>
          </tr>
        </thead>
        <TBody>
          {connections.map((c) => (
            <tr key={c.id} className="hover:bg-slate-50">
              <Td className="font-medium text-slate-900">
                <Link to={`/teams/${slug}/providers/${c.id}`} className={`rounded text-indigo-700 hover:underline ${FOCUS_RING}`}>
                  {c.name}
                </Link>
              </Td>
              <Td>
                <ProviderTypeBadge type={c.type} />
              </Td>
              <Td className="max-w-xs truncate font-mono text-xs">{c.baseUrl ?? <span className="font-sans text-slate-400">Provider default</span>}</Td>
              <Td className="font-mono text-xs">{c.keyHint ? `••••${c.keyHint}` : <span className="font-sans text-slate-400">No key</span>}</Td>
              <Td>
                <DateTime iso={c.updatedAt} />
              </Td>
            </tr>
          ))}
        </TBody>
      </Table>
    </Card>
  )
}

export default function Providers() {
  const { team, canWrite, initialType, connections } = useLoaderData<typeof loader>()
  return (
    <>
      <PageHeader title="Providers" description="The provider accounts Switchyard calls on your behalf. Keys are encrypted and never shown again." />
      <div className="space-y-6">
        {connections.length === 0 ? (
          <EmptyState
            icon={<ServerIcon className="h-6 w-6" />}
            title="No provider connections yet"
            description={
              canWrite
                ? 'Add your first provider connection below: an OpenAI, Anthropic, Azure, Gemini, Bedrock or any OpenAI-compatible endpoint.'
                : 'A team admin adds provider connections: ask one to connect a provider, then create a virtual key.'
            }
          />
        ) : (
          <ConnectionTable slug={team.slug} connections={connections} />
        )}
        {canWrite ? <AddConnection initialType={initialType} /> : null}
      </div>
    </>
  )
}

export const ErrorBoundary = RouteErrorBoundary
