import { Form } from '@remix-run/react'
import { Badge } from './ui/badge.tsx'
import { Button } from './ui/button.tsx'
import { Card, CardBody, CardHeader } from './ui/card.tsx'
import { Table, TBody, Td, Th } from './ui/table.tsx'

export interface SessionRow {
  id: string
  current: boolean
  userAgent: string | null
  ip: string | null
  createdAt: string
  lastActiveAt: string
}

/** "Chrome on Linux" from a user-agent string, good enough to recognise a device. */
export function describeAgent(ua: string | null): string {
  if (!ua) return 'Unknown device'
  const browser = /Edg\//.test(ua) ? 'Edge' : /Firefox\//.test(ua) ? 'Firefox' : /Chrom(e|ium)\//.test(ua) ? 'Chrome' : /Safari\//.test(ua) ? 'Safari' : /curl|node|undici/i.test(ua) ? 'Script' : 'Browser'
  const os = /Windows/.test(ua) ? 'Windows' : /Mac OS X/.test(ua) ? 'macOS' : /Android/.test(ua) ? 'Android' : /iPhone|iPad/.test(ua) ? 'iOS' : /Linux/.test(ua) ? 'Linux' : null
  return os ? `${browser} on ${os}` : browser
}

function when(iso: string): string {
  return new Date(iso).toLocaleString('en', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }) + ' UTC'
}

export function SessionsCard({ sessions }: { sessions: SessionRow[] }) {
  return (
    <Card>
      <CardHeader
        title="Sessions"
        description="Devices signed in to your account. Sessions end after 7 days without use, and after 30 days in any case."
        actions={
          <Form method="post" action="/logout">
            <input type="hidden" name="intent" value="everywhere" />
            <Button type="submit" variant="secondary" size="sm">
              Log out everywhere
            </Button>
          </Form>
        }
      />
      <CardBody flush>
        <Table caption="Your sessions">
          <thead className="bg-slate-50">
            <tr>
              <Th>Device</Th>
              <Th>IP address</Th>
              <Th>Last active</Th>
              <Th>Signed in</Th>
            </tr>
          </thead>
          <TBody>
            {sessions.map((s) => (
              <tr key={s.id}>
                <Td className="font-medium text-slate-900">
                  <span className="flex items-center gap-2">
                    {describeAgent(s.userAgent)} {s.current ? <Badge tone="indigo">This device</Badge> : null}
                  </span>
                </Td>
                <Td className="font-mono text-xs">{s.ip ?? '—'}</Td>
                <Td>{when(s.lastActiveAt)}</Td>
                <Td>{when(s.createdAt)}</Td>
              </tr>
            ))}
          </TBody>
        </Table>
      </CardBody>
    </Card>
  )
}
