import { Link } from '@remix-run/react'
import { Badge } from '../ui/badge.tsx'
import { cn, FOCUS_RING } from '../ui/cn.ts'
import { Table, TBody, Td, Th } from '../ui/table.tsx'
import { OUTCOME_LABELS } from './log-query.ts'

// The request-log table: one row per request, newest first, each linking to its detail page.

export interface LogRowView {
  id: string
  createdAt: string
  status: number
  outcome: keyof typeof OUTCOME_LABELS
  endpoint: string
  provider: string | null
  model: string | null
  stream: boolean
  latencyMs: number
  ttftMs: number | null
  promptTokens: number | null
  completionTokens: number | null
  costUsd: string | null
  keyName: string | null
}

export function StatusBadge({ status }: { status: number }) {
  const tone = status >= 500 ? 'red' : status >= 400 ? 'amber' : status >= 200 && status < 300 ? 'green' : 'neutral'
  return <Badge tone={tone}>{status}</Badge>
}

export function OutcomeText({ outcome }: { outcome: keyof typeof OUTCOME_LABELS }) {
  const tone = outcome === 'success' ? 'text-emerald-700' : outcome === 'error' ? 'text-red-700' : 'text-amber-700'
  return <span className={tone}>{OUTCOME_LABELS[outcome]}</span>
}

export function formatMs(ms: number | null): string {
  if (ms === null) return '—'
  return ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${ms} ms`
}

export function formatCost(cost: string | null): string {
  if (cost === null) return '—'
  const n = Number(cost)
  return n === 0 ? '$0' : n < 0.01 ? `$${n.toPrecision(2)}` : `$${n.toFixed(4)}`
}

export function formatTime(iso: string): string {
  return new Date(iso).toISOString().replace('T', ' ').slice(0, 19)
}

const num = (n: number | null) => (n === null ? '—' : n.toLocaleString('en-US'))

function LogRow({ r, base, fresh }: { r: LogRowView; base: string; fresh: boolean }) {
  return (
    <tr data-testid="log-row" className={cn('hover:bg-slate-50', fresh && 'bg-indigo-50/60')}>
      <Td className="px-3 font-mono text-xs">
        <Link to={`${base}/${r.id}`} className={cn('rounded text-indigo-700 hover:underline', FOCUS_RING)}>
          <time dateTime={r.createdAt}>
            {formatTime(r.createdAt).slice(11)}
            <span className="block text-slate-500">{formatTime(r.createdAt).slice(0, 10)}</span>
          </time>
        </Link>
      </Td>
      <Td className="px-3">
        <span className="flex items-center gap-2">
          <StatusBadge status={r.status} />
          <span className="text-xs">
            <OutcomeText outcome={r.outcome} />
          </span>
        </span>
      </Td>
      <Td className="px-3">
        <span className="font-mono text-xs">{r.endpoint.replace(/^\/v1/, '')}</span>
        {r.stream ? <span className="ml-1.5"><Badge tone="indigo">stream</Badge></span> : null}
      </Td>
      <Td className="px-3">
        <span className="text-slate-900">{r.provider ?? '—'}</span>
        <span className="block text-xs text-slate-500">{r.model ?? '—'}</span>
      </Td>
      <Td className="px-3 text-right tabular-nums">
        {formatMs(r.latencyMs)}
        <span className="block text-xs text-slate-500">{r.ttftMs === null ? '' : `TTFT ${formatMs(r.ttftMs)}`}</span>
      </Td>
      <Td className="px-3 text-right tabular-nums">
        {num(r.promptTokens)} / {num(r.completionTokens)}
      </Td>
      <Td className="px-3 text-right tabular-nums">{formatCost(r.costUsd)}</Td>
      <Td className="px-3">{r.keyName ?? <span className="text-slate-400">—</span>}</Td>
    </tr>
  )
}

export function LogTable({ rows, base, fresh }: { rows: LogRowView[]; base: string; fresh: ReadonlySet<string> }) {
  return (
    <Table caption="Request logs, newest first">
      <thead className="bg-slate-50">
        <tr>
          <Th className="px-3">Time (UTC)</Th>
          <Th className="px-3">Status</Th>
          <Th className="px-3">Endpoint</Th>
          <Th className="px-3">Provider / model</Th>
          <Th className="px-3 text-right">Latency</Th>
          <Th className="px-3 text-right">
            Tokens<span className="sr-only"> in / out</span>
          </Th>
          <Th className="px-3 text-right">Cost</Th>
          <Th className="px-3">Key</Th>
        </tr>
      </thead>
      <TBody>
        {rows.map((r) => (
          <LogRow key={r.id} r={r} base={base} fresh={fresh.has(r.id)} />
        ))}
      </TBody>
    </Table>
  )
}
