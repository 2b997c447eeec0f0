import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { ApiError } from '@switchyard/shared/errors'
import { z } from 'zod'
import { PageHeader } from '../components/app-shell.tsx'
import { AuditTable, visibleDetails } from '../components/audit-table.tsx'
import { ShieldIcon } from '../components/icons.tsx'
import { Button, buttonClasses } from '../components/ui/button.tsx'
import { Card } from '../components/ui/card.tsx'
import { EmptyState } from '../components/ui/empty-state.tsx'
import { SelectField } from '../components/ui/field.tsx'
import { auditTrailPage } from '../services/audit.server.ts'
import { requireTeamRole } from '../services/auth.server.ts'
import { teamActor } from '../services/console-actions.server.ts'

// The audit trail: who changed what and when (keys, providers, members, tokens, team), newest
// first, filterable by action type. Never secrets.
export const meta: MetaFunction = () => [{ title: 'Audit log · Switchyard' }]

const PAGE_SIZE = 50
const Query = z.object({
  action: z.string().regex(/^[a-z_.-]{1,60}$/).optional().catch(undefined),
  cursor: z.string().min(1).max(500).optional().catch(undefined),
})

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const auth = await requireTeamRole(request, context, params.team, 'audit.read')
  const query = Query.parse(Object.fromEntries(new URL(request.url).searchParams))
  const page = { limit: PAGE_SIZE, cursor: query.cursor ?? null }
  const result = await auditTrailPage(context.services, teamActor(auth), { page, action: query.action }).catch((err: unknown) => {
    if (err instanceof ApiError && err.code === 'validation_failed') throw new Response('This page link is no longer valid.', { status: 400, statusText: 'Bad Request' })
    throw err
  })
  return {
    query,
    actions: result.actions,
    nextCursor: result.nextCursor,
    rows: result.data.map((e) => ({
      id: e.id, createdAt: e.createdAt.toISOString(), action: e.action, targetType: e.targetType, targetId: e.targetId,
      actorLabel: e.actorLabel, actorKind: e.actorKind, details: visibleDetails(e.details),
    })),
  }
}

function href(params: { action?: string | undefined; cursor?: string | undefined }): string {
  const search = new URLSearchParams()
  if (params.action) search.set('action', params.action)
  if (params.cursor) search.set('cursor', params.cursor)
  return `?${search.toString()}`
}

export default function AuditLog() {
  const { query, actions, rows, nextCursor } = useLoaderData<typeof loader>()
  return (
    <>
      <PageHeader title="Audit log" description="Who changed what in this team, and when. Secrets are never recorded." />
      <div className="space-y-6">
        <Form method="get" className="flex flex-wrap items-end gap-3">
          <SelectField label="Action" name="action" defaultValue={query.action ?? ''} className="w-64">
            <option value="">All actions</option>
            {actions.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </SelectField>
          <Button type="submit" variant="secondary">
            Filter
          </Button>
        </Form>
        {rows.length === 0 ? (
          <EmptyState
            icon={<ShieldIcon className="h-6 w-6" />}
            title={query.action ? 'No events of this type' : 'Nothing recorded yet'}
            description={query.action ? 'Pick another action, or show all of them.' : 'Changes to providers, virtual keys, members, tokens and the team appear here.'}
            action={query.action ? <Link to="?" className={buttonClasses('secondary')}>Show all actions</Link> : undefined}
          />
        ) : (
          <Card className="overflow-hidden">
            <AuditTable rows={rows} />
            <nav aria-label="Pages" className="flex items-center justify-between border-t border-slate-100 bg-slate-50 px-4 py-3 text-sm">
              {query.cursor ? <Link to={href({ action: query.action })} className={buttonClasses('ghost', 'sm')}>Newest</Link> : <span />}
              {nextCursor ? (
                <Link to={href({ action: query.action, cursor: nextCursor })} className={buttonClasses('secondary', 'sm')}>
                  Older
                </Link>
              ) : (
                <span className="text-slate-500">No older events</span>
              )}
            </nav>
          </Card>
        )}
      </div>
    </>
  )
}

export { RouteErrorBoundary as ErrorBoundary } from '../components/route-error.tsx'
