import { Form, useFetcher } from '@remix-run/react'
import { useEffect, useState } from 'react'
import { DateTime } from '../date-time.tsx'
import { Badge } from '../ui/badge.tsx'
import { Button } from '../ui/button.tsx'
import { cn, FOCUS_RING } from '../ui/cn.ts'
import { Select } from '../ui/select.tsx'
import { Table, TBody, Td, Th } from '../ui/table.tsx'

// The members of a team with their roles; managers change roles and remove members they
// outrank (the server decides again: canManageMember).

export interface MemberRowView {
  userId: string
  email: string
  name: string
  role: string
  joinedAt: string
  isYou: boolean
  manageable: boolean
}

const ROLE_TONE = { owner: 'indigo', admin: 'green', member: 'neutral', viewer: 'neutral' } as const

export function RoleBadge({ role }: { role: string }) {
  return <Badge tone={ROLE_TONE[role as keyof typeof ROLE_TONE] ?? 'neutral'}>{role.charAt(0).toUpperCase() + role.slice(1)}</Badge>
}

/**
 * Changing a role posts through a fetcher: the select keeps the new role at once, the page does
 * not navigate; if the action fails the select goes back to the saved role and the error shows.
 * Without JavaScript it is a plain POST with the same fields.
 */
function RoleForm({ member, roles }: { member: MemberRowView; roles: string[] }) {
  const fetcher = useFetcher<{ formError?: string; fieldErrors?: Record<string, string> }>()
  const [role, setRole] = useState(member.role)
  // The saved role wins whenever the server answers: a new loader value, or an error.
  useEffect(() => setRole(member.role), [member.role, fetcher.data])
  const saving = fetcher.state !== 'idle'
  const error = !saving ? (fetcher.data?.fieldErrors?.role ?? fetcher.data?.formError) : undefined
  return (
    <fetcher.Form method="post">
      <div className="flex items-center gap-2">
        <input type="hidden" name="intent" value="change-role" />
        <input type="hidden" name="userId" value={member.userId} />
        <label htmlFor={`role-${member.userId}`} className="sr-only">
          Role of {member.email}
        </label>
        <Select id={`role-${member.userId}`} name="role" value={role} onChange={(e) => setRole(e.target.value)} className="w-32 py-1.5">
          {roles.map((r) => (
            <option key={r} value={r}>
              {r.charAt(0).toUpperCase() + r.slice(1)}
            </option>
          ))}
        </Select>
        <Button type="submit" variant="secondary" size="sm" disabled={saving}>
          {saving ? 'Saving…' : 'Save'}
          <span className="sr-only"> role of {member.email}</span>
        </Button>
      </div>
      {error ? (
        <p role="alert" className="mt-1 whitespace-normal text-xs text-red-700">
          {error}
        </p>
      ) : null}
    </fetcher.Form>
  )
}

function RemoveForm({ member }: { member: MemberRowView }) {
  return (
    <details>
      <summary className={cn('cursor-pointer list-none rounded px-2 py-1 text-sm font-medium text-red-700 hover:bg-red-50', FOCUS_RING)}>
        Remove<span className="sr-only"> {member.email}</span>
      </summary>
      <Form method="post" className="ml-auto mt-2 w-64 rounded-lg border border-red-100 bg-red-50/40 p-4 text-left">
        <input type="hidden" name="intent" value="remove" />
        <input type="hidden" name="userId" value={member.userId} />
        <p className="whitespace-normal text-sm text-slate-700">
          Remove {member.email} from the team? Their admin tokens are revoked.
        </p>
        <Button type="submit" variant="danger" size="sm" className="mt-3 w-full">
          Remove {member.name || member.email}
        </Button>
      </Form>
    </details>
  )
}

export function MembersTable({ members, roles }: { members: MemberRowView[]; roles: string[] }) {
  return (
    <Table caption="Team members">
      <thead className="bg-slate-50">
        <tr>
          <Th>Member</Th>
          <Th>Role</Th>
          <Th>Joined</Th>
          <Th className="text-right">
            <span className="sr-only">Actions</span>
          </Th>
        </tr>
      </thead>
      <TBody>
        {members.map((m) => (
          <tr key={m.userId} data-testid="member-row">
            <Td>
              <span className="font-medium text-slate-900">{m.name || m.email}</span>
              {m.isYou ? <span className="ml-2 text-xs text-slate-500">(you)</span> : null}
              <span className="block text-xs text-slate-500">{m.email}</span>
            </Td>
            <Td>{m.manageable && roles.length > 0 ? <RoleForm member={m} roles={roles} /> : <RoleBadge role={m.role} />}</Td>
            <Td>
              <DateTime iso={m.joinedAt} dateOnly />
            </Td>
            <Td className="text-right">{m.manageable ? <RemoveForm member={m} /> : null}</Td>
          </tr>
        ))}
      </TBody>
    </Table>
  )
}
