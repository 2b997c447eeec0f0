import { REQUEST_OUTCOMES } from '@switchyard/shared/events'
import { z } from 'zod'

// The logs page's filters live in the URL (GET form), so a filtered view is a shareable link.
// Parsed leniently: a malformed value is dropped, never an error page.

export const RANGES = {
  '15m': { label: 'Last 15 minutes', ms: 15 * 60_000 },
  '1h': { label: 'Last hour', ms: 60 * 60_000 },
  '24h': { label: 'Last 24 hours', ms: 24 * 60 * 60_000 },
  '7d': { label: 'Last 7 days', ms: 7 * 24 * 60 * 60_000 },
  '30d': { label: 'Last 30 days', ms: 30 * 24 * 60 * 60_000 },
  all: { label: 'All time', ms: null },
  custom: { label: 'Custom range (UTC)', ms: null },
} as const
export type RangeKey = keyof typeof RANGES

export const STATUS_FILTERS = {
  '2xx': 'Successful (2xx)',
  '4xx': 'Client errors (4xx)',
  '5xx': 'Server errors (5xx)',
  '429': 'Rate limited (429)',
} as const

export const OUTCOME_LABELS: Record<(typeof REQUEST_OUTCOMES)[number], string> = {
  success: 'Success',
  error: 'Error',
  incomplete: 'Incomplete',
  client_cancelled: 'Cancelled by client',
}

/** `<input type="datetime-local">` values, read as UTC. */
const LocalDateTime = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/)
const Text = z.string().trim().min(1).max(200)

export const LogFilters = z.object({
  range: z.enum(Object.keys(RANGES) as [RangeKey, ...RangeKey[]]).catch('24h').default('24h'),
  from: LocalDateTime.optional().catch(undefined),
  to: LocalDateTime.optional().catch(undefined),
  status: z.enum(Object.keys(STATUS_FILTERS) as [keyof typeof STATUS_FILTERS]).optional().catch(undefined),
  outcome: z.enum(REQUEST_OUTCOMES).optional().catch(undefined),
  model: Text.optional().catch(undefined),
  provider: Text.optional().catch(undefined),
  key: Text.optional().catch(undefined),
  cursor: z.string().min(1).max(500).optional().catch(undefined),
})
export type LogFilters = z.infer<typeof LogFilters>

export function parseLogFilters(params: URLSearchParams): LogFilters {
  const raw: Record<string, string> = {}
  for (const [k, v] of params) if (v !== '') raw[k] = v
  return LogFilters.parse(raw)
}

/** The time window a filter set means at `now`. */
export function timeWindow(filters: LogFilters, now: Date): { from?: Date; to?: Date } {
  if (filters.range === 'custom') {
    const from = filters.from ? new Date(`${filters.from}Z`) : undefined
    const to = filters.to ? new Date(`${filters.to}Z`) : undefined
    return { ...(from && !Number.isNaN(from.getTime()) ? { from } : {}), ...(to && !Number.isNaN(to.getTime()) ? { to } : {}) }
  }
  const ms = RANGES[filters.range].ms
  return ms === null ? {} : { from: new Date(now.getTime() - ms) }
}

/** The status filter as the model takes it: a class digit (2 → 2xx) or an exact status. */
export function statusValue(status: LogFilters['status']): number | undefined {
  if (!status) return undefined
  return status.endsWith('xx') ? Number(status[0]) : Number(status)
}

/** The query string of `filters` with `changes` applied (undefined removes a key). */
export function filterHref(filters: LogFilters, changes: Partial<Record<keyof LogFilters, string | undefined>>): string {
  const params = new URLSearchParams()
  const merged: Record<string, string | undefined> = { ...filters, ...changes }
  for (const [k, v] of Object.entries(merged)) {
    if (v === undefined || v === '' || (k === 'range' && v === '24h')) continue
    if ((k === 'from' || k === 'to') && merged.range !== 'custom') continue
    params.set(k, v)
  }
  const query = params.toString()
  return query ? `?${query}` : '?'
}

export function hasActiveFilters(filters: LogFilters): boolean {
  return Boolean(filters.status || filters.outcome || filters.model || filters.provider || filters.key || filters.range !== '24h')
}
