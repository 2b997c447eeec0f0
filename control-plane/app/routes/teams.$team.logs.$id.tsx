import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { RequestLogEvent, type RequestOutcome } from '@switchyard/shared/events'
import type { ReactNode } from 'react'
import { PageHeader } from '../components/app-shell.tsx'
import { DateTime } from '../components/date-time.tsx'
import { formatCost, formatMs, OutcomeText, StatusBadge } from '../components/logs/log-table.tsx'
import { Badge } from '../components/ui/badge.tsx'
import { buttonClasses } from '../components/ui/button.tsx'
import { Card, CardBody, CardHeader } from '../components/ui/card.tsx'
import { Table, TBody, Td, Th } from '../components/ui/table.tsx'
import { getRequestLogDetail, requestLogFilterOptions } from '../models/request-log.server.ts'
import { requireTeamRole } from '../services/auth.server.ts'

// One request: timings, tokens (with cached and reasoning from the stored event), cost, error,
// attempts and the ids to quote to a provider's support. Another team's id → 404.
export const meta: MetaFunction = () => [{ title: 'Request · Switchyard' }]

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { team } = await requireTeamRole(request, context, params.team, 'logs.read')
  const [row, options] = await Promise.all([
    getRequestLogDetail(context.services.db, team.id, params.id ?? ''),
    requestLogFilterOptions(context.services.db, team.id),
  ])
  if (!row) throw new Response('Request not found', { status: 404, statusText: 'Not Found' })
  const parsed = RequestLogEvent.safeParse(row.event)
  const event = parsed.success ? parsed.data : null
  const key = row.virtualKeyId ? options.keys.find((k) => k.id === row.virtualKeyId) : undefined
  return {
    team: { slug: team.slug },
    log: {
      id: row.id, requestId: row.requestId, createdAt: row.createdAt.toISOString(), endpoint: row.endpoint, provider: row.provider,
      model: row.model, stream: row.stream, status: row.status, outcome: row.outcome as RequestOutcome, latencyMs: row.latencyMs,
      ttftMs: row.ttftMs, promptTokens: row.promptTokens, completionTokens: row.completionTokens, costUsd: row.costUsd?.toFixed() ?? null,
      errorCode: row.errorCode,
    },
    key: row.virtualKeyId ? { id: row.virtualKeyId, name: key?.name ?? 'Deleted key', revoked: key ? key.revokedAt !== null : true } : null,
    usage: { total: event?.usage?.totalTokens ?? null, cached: event?.usage?.cachedPromptTokens ?? null, reasoning: event?.usage?.reasoningTokens ?? null },
    cacheStatus: event?.cacheStatus ?? null,
    snapshotVersion: event?.snapshotVersion ?? null,
    attempts: event?.attempts ?? [],
  }
}

function Item({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</dt>
      <dd className="mt-1 break-all text-sm text-slate-900">{children}</dd>
    </div>
  )
}

const num = (n: number | null) => (n === null ? '—' : n.toLocaleString('en-US'))
const mono = (text: string | null) => (text ? <code className="font-mono text-xs">{text}</code> : <span className="text-slate-400">—</span>)

function Attempts({ attempts }: { attempts: ReturnType<typeof useLoaderData<typeof loader>>['attempts'] }) {
  if (attempts.length === 0) return <CardBody><p className="text-sm text-slate-500">No upstream attempt was made (the gateway answered itself).</p></CardBody>
  return (
    <Table caption="Upstream attempts">
      <thead className="bg-slate-50">
        <tr><Th>#</Th><Th>Provider</Th><Th>Model</Th><Th>Status</Th><Th className="text-right">Latency</Th><Th>Error</Th><Th>Upstream request id</Th></tr>
      </thead>
      <TBody>
        {attempts.map((a, i) => (
          <tr key={i}>
            <Td>{i + 1}</Td><Td>{a.provider}</Td><Td>{a.model}</Td><Td><StatusBadge status={a.status} /></Td>
            <Td className="text-right tabular-nums">{formatMs(a.latencyMs)}</Td><Td>{mono(a.errorCode)}</Td><Td>{mono(a.upstreamRequestId)}</Td>
          </tr>
        ))}
      </TBody>
    </Table>
  )
}

type Detail = ReturnType<typeof useLoaderData<typeof loader>>

function SummaryCard({ log, keyInfo, cacheStatus }: { log: Detail['log']; keyInfo: Detail['key']; cacheStatus: Detail['cacheStatus'] }) {
  return (
    <Card>
      <CardHeader title="Summary" actions={<><StatusBadge status={log.status} /><OutcomeText outcome={log.outcome} /></>} />
      <CardBody>
        <dl className="grid gap-5 sm:grid-cols-2 lg:grid-cols-4">
          <Item label="Latency">{formatMs(log.latencyMs)}</Item>
          <Item label="Time to first token">{formatMs(log.ttftMs)}</Item>
          <Item label="Cost">{log.costUsd === null ? 'Not known yet' : formatCost(log.costUsd)}</Item>
          <Item label="Error code">{mono(log.errorCode)}</Item>
          <Item label="Endpoint">{mono(log.endpoint)}</Item>
          <Item label="Stream">{log.stream ? 'Yes' : 'No'}</Item>
          <Item label="Cache">{cacheStatus ?? '—'}</Item>
          <Item label="Virtual key">
            {keyInfo ? <span className="flex items-center gap-2">{keyInfo.name}{keyInfo.revoked ? <Badge tone="red">Revoked</Badge> : null}</span> : '—'}
          </Item>
        </dl>
      </CardBody>
    </Card>
  )
}

function TokensCard({ log, usage }: { log: Detail['log']; usage: Detail['usage'] }) {
  return (
    <Card>
      <CardHeader title="Tokens" />
      <CardBody>
        <dl className="grid gap-5 sm:grid-cols-3 lg:grid-cols-5" data-testid="tokens">
          <Item label="Input">{num(log.promptTokens)}</Item>
          <Item label="Output">{num(log.completionTokens)}</Item>
          <Item label="Total">{num(usage.total ?? (log.promptTokens !== null && log.completionTokens !== null ? log.promptTokens + log.completionTokens : null))}</Item>
          <Item label="Cached input">{num(usage.cached)}</Item>
          <Item label="Reasoning">{num(usage.reasoning)}</Item>
        </dl>
      </CardBody>
    </Card>
  )
}

export default function RequestLogDetail() {
  const { team, log, key, usage, cacheStatus, snapshotVersion, attempts } = useLoaderData<typeof loader>()
  const upstreamId = attempts.findLast((a) => a.upstreamRequestId)?.upstreamRequestId ?? null
  return (
    <>
      <PageHeader
        title={`${log.provider ?? 'Gateway'} · ${log.model ?? 'unknown model'}`}
        description={<DateTime iso={log.createdAt} />}
        actions={<Link to={`/teams/${team.slug}/logs`} className={buttonClasses('secondary', 'sm')}>Back to logs</Link>}
      />
      <div className="space-y-6">
        <SummaryCard log={log} keyInfo={key} cacheStatus={cacheStatus} />
        <TokensCard log={log} usage={usage} />
        <Card>
          <CardHeader title="Identifiers" description="Quote these when you contact the provider or read the server log." />
          <CardBody>
            <dl className="grid gap-5 sm:grid-cols-2">
              <Item label="Request id (x-request-id)">{mono(log.requestId)}</Item>
              <Item label="Upstream request id">{mono(upstreamId)}</Item>
              <Item label="Log id">{mono(log.id)}</Item>
              <Item label="Config snapshot">{snapshotVersion === null ? '—' : `v${snapshotVersion}`}</Item>
            </dl>
          </CardBody>
        </Card>
        <Card className="overflow-hidden">
          <CardHeader title="Attempts" description="Each call the gateway made upstream, in order." />
          <Attempts attempts={attempts} />
        </Card>
      </div>
    </>
  )
}

export { RouteErrorBoundary as ErrorBoundary } from '../components/route-error.tsx'
