import { Form } from '@remix-run/react'
import { useState } from 'react'
import { DateTime } from '../date-time.tsx'
import { Button } from '../ui/button.tsx'
import { Card, CardBody, CardHeader } from '../ui/card.tsx'
import { lineDiff, pretty } from './plan-draft.ts'

// A route's versions, newest first: each can be compared with the live one (a line diff of the
// pretty-printed plans) and rolled back to in one click (a new version equal to it, published).

interface Version {
  version: number
  plan: unknown
  description: string | null
  createdAt: string
}

function Diff({ before, after }: { before: unknown; after: unknown }) {
  const lines = lineDiff(pretty(before), pretty(after))
  if (lines.every((l) => l.kind === 'same')) return <p className="text-sm text-slate-500">Same plan as the live version.</p>
  return (
    <pre aria-label="Plan diff" className="max-h-96 overflow-auto rounded-md bg-slate-50 p-3 font-mono text-xs leading-5">
      {lines.map((l, i) => (
        <div key={i} className={l.kind === 'added' ? 'bg-emerald-100 text-emerald-900' : l.kind === 'removed' ? 'bg-red-100 text-red-900' : 'text-slate-600'}>
          {l.kind === 'added' ? '+ ' : l.kind === 'removed' ? '- ' : '  '}
          {l.text}
        </div>
      ))}
    </pre>
  )
}

export function VersionList({ versions, current, canWrite }: { versions: Version[]; current: { version: number; plan: unknown }; canWrite: boolean }) {
  const [compare, setCompare] = useState<number | null>(null)
  const compared = versions.find((v) => v.version === compare)
  return (
    <Card>
      <CardHeader id="versions" title="Versions" description="Every save is a version. Rolling back publishes a new version equal to the one you pick." />
      <CardBody className="space-y-4">
        <ul aria-labelledby="versions" className="divide-y divide-slate-100">
          {versions.map((v) => (
            <li key={v.version} className="flex flex-wrap items-center gap-3 py-2" data-version={v.version}>
              <span className="w-14 font-mono text-sm font-medium">v{v.version}</span>
              <span className="text-sm text-slate-500">
                <DateTime iso={v.createdAt} />
              </span>
              {v.version === current.version ? <span className="rounded bg-emerald-50 px-2 py-0.5 text-xs font-medium text-emerald-700">live</span> : null}
              <span className="flex-1" />
              {v.version === current.version ? null : (
                <Button type="button" variant="secondary" size="sm" onClick={() => setCompare(compare === v.version ? null : v.version)}>
                  {compare === v.version ? 'Hide diff' : `Diff v${v.version} → live`}
                </Button>
              )}
              {canWrite && v.version !== current.version ? (
                <Form method="post">
                  <input type="hidden" name="version" value={v.version} />
                  <Button type="submit" size="sm" name="intent" value="rollback">
                    Roll back to v{v.version}
                  </Button>
                </Form>
              ) : null}
            </li>
          ))}
        </ul>
        {compared ? (
          <div>
            <p className="mb-1 text-xs font-medium text-slate-600">
              v{compared.version} → v{current.version} (live)
            </p>
            <Diff before={compared.plan} after={current.plan} />
          </div>
        ) : null}
      </CardBody>
    </Card>
  )
}
