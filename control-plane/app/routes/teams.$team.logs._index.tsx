import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import type { RequestOutcome } from '@switchyard/shared/events'
import { ApiError } from '@switchyard/shared/errors'
import { PageHeader } from '../components/app-shell.tsx'
import { RefreshControl, useAutoRefresh, useFreshIds } from '../components/logs/auto-refresh.tsx'
import { FirstCall } from '../components/logs/first-call.tsx'
import { LogFiltersForm } from '../components/logs/log-filters-form.tsx'
import { filterHref, hasActiveFilters, parseLogFilters, statusValue, timeWindow } from '../components/logs/log-query.ts'
import { LogTable } from '../components/logs/log-table.tsx'
import { ListIcon } from '../components/icons.tsx'
import { buttonClasses } from '../components/ui/button.tsx'
import { Card } from '../components/ui/card.tsx'
import { EmptyState } from '../components/ui/empty-state.tsx'
import { toPage } from '../lib/pagination.server.ts'
import { listRequestLogs, requestLogFilterOptions } from '../models/request-log.server.ts'
import { requireTeamRole } from '../services/auth.server.ts'

// Request logs, newest first: filters in the URL, keyset pagination ("Older"), auto-refresh.
export const meta: MetaFunction = () => [{ title: 'Request logs · Switchyard' }]

const PAGE_SIZE = 50

async function loadPage(args: { db: Parameters<typeof listRequestLogs>[0]; teamId: string; url: URL }) {
  const filters = parseLogFilters(args.url.searchParams)
  const filter = { ...timeWindow(filters, new Date()), status: statusValue(filters.status), outcome: filters.outcome, model: filters.model, provider: filters.provider, virtualKeyId: filters.key }
  try {
    const rows = await listRequestLogs(args.db, args.teamId, { limit: PAGE_SIZE, cursor: filters.cursor ?? null }, filter)
    return { filters, page: toPage(rows, PAGE_SIZE, (r) => r) }
  } catch (err) {
    if (err instanceof ApiError && err.code === 'validation_failed') throw new Response('This page link is no longer valid.', { status: 400, statusText: 'Bad Request' })
    throw err
  }
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { team } = await requireTeamRole(request, context, params.team, 'logs.read')
  const url = new URL(request.url)
  const [{ filters, page }, options] = await Promise.all([
    loadPage({ db: context.services.db, teamId: team.id, url }),
    requestLogFilterOptions(context.services.db, team.id),
  ])
  const keyNames = new Map(options.keys.map((k) => [k.id, k.name]))
  return {
    team: { slug: team.slug },
    filters,
    rows: page.data.map((r) => ({
      id: r.id, createdAt: r.createdAt.toISOString(), status: r.status, outcome: r.outcome as RequestOutcome, endpoint: r.endpoint,
      provider: r.provider, model: r.model, stream: r.stream, latencyMs: r.latencyMs, ttftMs: r.ttftMs,
      promptTokens: r.promptTokens, completionTokens: r.completionTokens, costUsd: r.costUsd?.toFixed() ?? null,
      keyName: r.virtualKeyId ? (keyNames.get(r.virtualKeyId) ?? 'Deleted key') : null,
    })),
    nextCursor: page.nextCursor,
    options: { keys: options.keys.map((k) => ({ id: k.id, name: k.name, revoked: k.revokedAt !== null })), providers: options.providers },
    baseUrl: `http://${url.hostname}:${context.services.config.dataPlanePort ?? 8787}/v1`,
  }
}

export default function RequestLogs() {
  const { team, filters, rows, nextCursor, options, baseUrl } = useLoaderData<typeof loader>()
  const live = !filters.cursor
  const { paused, setPaused } = useAutoRefresh(live)
  const fresh = useFreshIds(rows.map((r) => r.id))
  const base = `/teams/${team.slug}/logs`
  const filtered = hasActiveFilters(filters)
  return (
    <>
      <PageHeader
        title="Request logs"
        description="Every request through the gateway, newest first."
        actions={<RefreshControl enabled={live} paused={paused} onToggle={() => setPaused(!paused)} freshCount={fresh.size} />}
      />
      <div className="space-y-6">
        <LogFiltersForm key={JSON.stringify(filters)} filters={filters} options={options} />
        {rows.length === 0 && !filtered && live ? (
          <FirstCall baseUrl={baseUrl} keysHref={`/teams/${team.slug}/virtual-keys`} provider={options.providers[0] ?? null} />
        ) : rows.length === 0 ? (
          <EmptyState
            icon={<ListIcon className="h-6 w-6" />}
            title="No requests match these filters"
            description="Widen the time range or clear a filter. New requests appear here automatically."
            action={<Link to="?" className={buttonClasses('secondary')}>Clear filters</Link>}
          />
        ) : (
          <Card className="overflow-hidden">
            <LogTable rows={rows} base={base} fresh={fresh} />
            <nav aria-label="Pages" className="flex items-center justify-between border-t border-slate-100 bg-slate-50 px-4 py-3 text-sm">
              {filters.cursor ? <Link to={filterHref(filters, { cursor: undefined })} className={buttonClasses('ghost', 'sm')}>Newest</Link> : <span />}
              {nextCursor ? (
                <Link to={filterHref(filters, { cursor: nextCursor })} className={buttonClasses('secondary', 'sm')}>
                  Older
                </Link>
              ) : (
                <span className="text-slate-500">No older requests</span>
              )}
            </nav>
          </Card>
        )}
      </div>
    </>
  )
}

export { RouteErrorBoundary as ErrorBoundary } from '../components/route-error.tsx'
