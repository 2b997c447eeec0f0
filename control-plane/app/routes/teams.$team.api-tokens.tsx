import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useActionData, useFetcher, useFetchers, useLoaderData, useNavigation } from '@remix-run/react'
import { z } from 'zod'
import { PageHeader } from '../components/app-shell.tsx'
import { DateTime } from '../components/date-time.tsx'
import { ShieldIcon } from '../components/icons.tsx'
import { RouteErrorBoundary } from '../components/route-error.tsx'
import { Alert } from '../components/ui/alert.tsx'
import { Badge } from '../components/ui/badge.tsx'
import { Button } from '../components/ui/button.tsx'
import { Card, CardBody, CardFooter, CardHeader } from '../components/ui/card.tsx'
import { cn, FOCUS_RING } from '../components/ui/cn.ts'
import { SecretReveal } from '../components/ui/copy-button.tsx'
import { EmptyState } from '../components/ui/empty-state.tsx'
import { Field, SelectField } from '../components/ui/field.tsx'
import { Table, TBody, Td, Th } from '../components/ui/table.tsx'
import { CreateAdminTokenBody } from '../api/schemas.ts'
import { redirectWithToast } from '../services/auth-route.server.ts'
import { requireTeamRole, type TeamAuthed } from '../services/auth.server.ts'
import { type ActionErrors, invalidForm, serviceCall, teamActor, zodFieldErrors } from '../services/console-actions.server.ts'
import { issueAdminToken, listAdminTokens, revokeAdminToken } from '../services/admin-tokens.server.ts'
import { ROLES, tokenRoles } from '../services/permissions.ts'

// Admin API tokens of the team (adminTokens.manage): a script's credential for /api/v1, shown
// once at creation, never carrying a role above its creator's.

export const meta: MetaFunction = () => [{ title: 'API tokens · Switchyard' }]

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const auth = await requireTeamRole(request, context, params.team, 'adminTokens.manage')
  const page = await listAdminTokens(context.services, teamActor(auth), { limit: 200, cursor: null })
  return {
    roles: tokenRoles(auth.role),
    tokens: page.data.map((t) => ({
      id: t.id,
      name: t.name,
      role: t.role,
      keyHint: t.keyHint,
      createdAt: t.createdAt.toISOString(),
      lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
      expiresAt: t.expiresAt?.toISOString() ?? null,
    })),
  }
}

const Intent = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('create'), name: z.string(), role: z.string(), expiresOn: z.string().optional() }),
  z.object({ intent: z.literal('revoke'), id: z.string().min(1) }),
])

/** A `YYYY-MM-DD` date: the token works until the end of that day (UTC). Empty → never expires. */
function expiryOf(expiresOn: string | undefined): string | null {
  const date = expiresOn?.trim()
  if (!date) return null
  return /^\d{4}-\d{2}-\d{2}$/.test(date) ? `${date}T23:59:59.999Z` : date
}

async function create(auth: TeamAuthed, context: ActionFunctionArgs['context'], fields: { name: string; role: string; expiresOn?: string | undefined }) {
  const parsed = CreateAdminTokenBody.safeParse({ name: fields.name, role: fields.role, expiresAt: expiryOf(fields.expiresOn) })
  if (!parsed.success) {
    const errors = zodFieldErrors(parsed.error)
    // The form's field is the date; the body's is the timestamp.
    if (errors.expiresAt) errors.expiresOn = 'Enter a date (YYYY-MM-DD).'
    return invalidForm('create', errors)
  }
  const result = await serviceCall('create', (p) => (p === 'expiresAt' ? 'expiresOn' : p), () => issueAdminToken(context.services, teamActor(auth), parsed.data))
  if (!result.ok) return result.response
  const { name, role, token } = result.value
  return data({ intent: 'created' as const, created: { name, role, token } }, { headers: { 'Cache-Control': 'no-store' } })
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const auth = await requireTeamRole(request, context, params.team, 'adminTokens.manage')
  const intent = Intent.safeParse(Object.fromEntries(await request.formData()))
  if (!intent.success) return invalidForm('unknown', { form: 'Unknown action.' })
  if (intent.data.intent === 'create') return create(auth, context, intent.data)
  const id = intent.data.id
  const result = await serviceCall('revoke', (p) => p, () => revokeAdminToken(context.services, teamActor(auth), { id }))
  if (!result.ok) return result.response
  return redirectWithToast(`/teams/${auth.team.slug}/api-tokens`, { kind: 'success', message: 'Token revoked: it stops working immediately.' }, context)
}

type Created = { intent: 'created'; created: { name: string; role: string; token: string } }
type Token = ReturnType<typeof useLoaderData<typeof loader>>['tokens'][number]

/**
 * One token. Revoking posts through a fetcher (a plain POST without JavaScript): the row goes at
 * once, and stays mounted (rendering nothing) until the server answers, so a failure brings it back.
 */
function TokenRow({ token: t }: { token: Token }) {
  const fetcher = useFetcher()
  if (fetcher.state !== 'idle' && fetcher.formData?.get('intent') === 'revoke') return null
  return (
    <tr data-testid="token-row">
      <Td className="font-medium text-slate-900">{t.name}</Td>
      <Td><Badge tone={t.role === 'viewer' ? 'neutral' : 'indigo'}>{t.role}</Badge></Td>
      <Td className="font-mono text-xs">••••{t.keyHint}</Td>
      <Td><DateTime iso={t.createdAt} /></Td>
      <Td><DateTime iso={t.lastUsedAt} fallback="Never" /></Td>
      <Td><DateTime iso={t.expiresAt} fallback="Never" /></Td>
      <Td className="text-right">
        <details className="relative inline-block text-left">
          <summary className={cn('cursor-pointer list-none rounded px-2 py-1 text-sm font-medium text-red-700 hover:bg-red-50', FOCUS_RING)}>
            Revoke<span className="sr-only"> {t.name}</span>…
          </summary>
          <fetcher.Form method="post" className="absolute right-0 z-20 mt-1 w-64 rounded-lg border border-slate-200 bg-white p-3 text-sm shadow-lg">
            <p className="whitespace-normal text-slate-700">Scripts using “{t.name}” get 401 from now on.</p>
            <input type="hidden" name="id" value={t.id} />
            <Button type="submit" name="intent" value="revoke" variant="danger" size="sm" className="mt-3 w-full">Revoke token</Button>
          </fetcher.Form>
        </details>
      </Td>
    </tr>
  )
}

/** How many tokens are left once the revocations in flight are done (optimistic UI). */
function useRemainingTokens(tokens: Token[]): number {
  const revoking = new Set(
    useFetchers()
      .filter((f) => f.formData?.get('intent') === 'revoke')
      .map((f) => String(f.formData?.get('id'))),
  )
  return tokens.filter((t) => !revoking.has(t.id)).length
}

/** Rendered while any token exists (hidden once all are being revoked), so the rows' fetchers live on. */
function TokenTable({ tokens, hidden }: { tokens: Token[]; hidden: boolean }) {
  return (
    <div hidden={hidden}>
      <Card>
        <Table caption="API tokens">
          <thead className="bg-slate-50">
            <tr><Th>Name</Th><Th>Role</Th><Th>Token</Th><Th>Created</Th><Th>Last used</Th><Th>Expires</Th><Th><span className="sr-only">Actions</span></Th></tr>
          </thead>
          <TBody>
            {tokens.map((t) => <TokenRow key={t.id} token={t} />)}
          </TBody>
        </Table>
      </Card>
    </div>
  )
}

export default function ApiTokens() {
  const { roles, tokens } = useLoaderData<typeof loader>()
  const remaining = useRemainingTokens(tokens)
  const result = useActionData<typeof action>() as Created | ActionErrors | undefined
  const created = result && 'created' in result ? result.created : null
  const errors = result && !('created' in result) ? result : undefined
  const busy = useNavigation().formData?.get('intent') === 'create'
  return (
    <>
      <PageHeader title="API tokens" description={<>Credentials for scripts and CI that call the admin API at <code>/api/v1</code>.</>} />
      <div className="space-y-6">
        {created ? (
          <Card className="border-amber-300">
            <CardHeader title={`Your new token “${created.name}” (${created.role})`} description="Send it as Authorization: Bearer <token>." />
            <CardBody className="space-y-4">
              <Alert tone="info"><strong className="font-semibold">Copy this token now.</strong> It is shown only once.</Alert>
              <SecretReveal value={created.token} label="New API token" />
            </CardBody>
          </Card>
        ) : null}
        {remaining === 0 ? (
          <EmptyState icon={<ShieldIcon className="h-6 w-6" />} title="No API tokens yet" description="Create one below to automate Switchyard from scripts or CI." />
        ) : null}
        {tokens.length > 0 ? <TokenTable tokens={tokens} hidden={remaining === 0} /> : null}
        <Card>
          <CardHeader id="create-token" title="Create a token" description="A token acts as you, with at most your role." />
          <Form method="post" key={created?.token ?? 'new'} aria-labelledby="create-token" autoComplete="off">
            <CardBody className="grid gap-5 sm:grid-cols-2">
              {errors?.formError ? <div className="sm:col-span-2"><Alert>{errors.formError}</Alert></div> : null}
              <Field label="Name" name="name" required placeholder="ci-deploy" error={errors?.fieldErrors?.name} />
              <SelectField label="Role" name="role" defaultValue={roles.includes('viewer') ? 'viewer' : roles[0]} error={errors?.fieldErrors?.role}>
                {ROLES.filter((r) => roles.includes(r)).map((r) => <option key={r} value={r}>{r}</option>)}
              </SelectField>
              <Field
                label="Expires on (optional)"
                name="expiresOn"
                type="date"
                description="The token stops working at the end of this day (UTC). Empty = never."
                error={errors?.fieldErrors?.expiresOn}
              />
            </CardBody>
            <CardFooter>
              <Button type="submit" name="intent" value="create" disabled={busy}>Create token</Button>
            </CardFooter>
          </Form>
        </Card>
      </div>
    </>
  )
}

export const ErrorBoundary = RouteErrorBoundary
