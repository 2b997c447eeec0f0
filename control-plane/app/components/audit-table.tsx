import { DateTime } from './date-time.tsx'
import { Badge } from './ui/badge.tsx'
import { Table, TBody, Td, Th } from './ui/table.tsx'

// The audit trail as a table: when, who, what, on which target, and the recorded details.
// Details hold names, roles and hints only; anything that looks like a credential is not shown
// even so (defence in depth).

export interface AuditRowView {
  id: string
  createdAt: string
  action: string
  targetType: string
  targetId: string | null
  actorLabel: string | null
  actorKind: 'user' | 'token' | null
  details: Record<string, string>
}

const HIDDEN = /(secret|password|hash|token$|^key$|apikey|ciphertext)/i

/** The details worth showing, as short strings. */
export function visibleDetails(details: unknown): Record<string, string> {
  if (typeof details !== 'object' || details === null || Array.isArray(details)) return {}
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(details)) {
    if (HIDDEN.test(k) || v === null || v === undefined) continue
    const text = typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : Array.isArray(v) ? v.map(String).join(', ') : null
    if (text !== null && text !== '') out[k] = text.length > 120 ? `${text.slice(0, 117)}…` : text
  }
  return out
}

function actionTone(action: string) {
  if (/(delete|revoke|remove|leave)/.test(action)) return 'red' as const
  if (/(create|accept)/.test(action)) return 'green' as const
  return 'indigo' as const
}

export function AuditTable({ rows }: { rows: AuditRowView[] }) {
  return (
    <Table caption="Audit trail, newest first">
      <thead className="bg-slate-50">
        <tr>
          <Th>When</Th>
          <Th>Who</Th>
          <Th>Action</Th>
          <Th>Target</Th>
          <Th>Details</Th>
        </tr>
      </thead>
      <TBody>
        {rows.map((r) => (
          <tr key={r.id} data-testid="audit-row" className="align-top">
            <Td className="whitespace-normal text-xs">
              <DateTime iso={r.createdAt} />
            </Td>
            <Td className="max-w-[14rem] whitespace-normal break-words">
              {r.actorLabel ?? <span className="text-slate-400">System</span>}
              {r.actorKind === 'token' ? <span className="block text-xs text-slate-500">via API token</span> : null}
            </Td>
            <Td>
              <Badge tone={actionTone(r.action)}>{r.action}</Badge>
            </Td>
            <Td>
              <span className="text-slate-900">{r.targetType}</span>
              {r.targetId ? <code className="block max-w-[9rem] truncate font-mono text-xs text-slate-500" title={r.targetId}>{r.targetId}</code> : null}
            </Td>
            <Td className="min-w-[14rem] whitespace-normal">
              <dl className="flex flex-wrap gap-x-4 gap-y-1 text-xs">
                {Object.entries(r.details).map(([k, v]) => (
                  <div key={k} className="flex gap-1">
                    <dt className="text-slate-500">{k}:</dt>
                    <dd className="text-slate-800">{v}</dd>
                  </div>
                ))}
              </dl>
            </Td>
          </tr>
        ))}
      </TBody>
    </Table>
  )
}
