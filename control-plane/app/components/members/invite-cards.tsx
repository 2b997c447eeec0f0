import { Form, useFetcher, useFetchers, useNavigation } from '@remix-run/react'
import { DateTime } from '../date-time.tsx'
import { Alert } from '../ui/alert.tsx'
import { Button } from '../ui/button.tsx'
import { Card, CardBody, CardFooter, CardHeader } from '../ui/card.tsx'
import { CopyButton } from '../ui/copy-button.tsx'
import { Field, SelectField } from '../ui/field.tsx'
import { Table, TBody, Td, Th } from '../ui/table.tsx'
import { RoleBadge } from './members-table.tsx'

// Inviting by email (the link is shown to the inviter too: without SMTP the email only reaches
// the outbox) and the pending invitations, each revocable.

export interface InviteRowView {
  id: string
  email: string
  role: string
  invitedBy: string | null
  expiresAt: string
}

export interface InviteErrors {
  formError?: string
  fieldErrors?: Record<string, string>
}

export function InviteCard(props: { roles: string[]; errors: InviteErrors | undefined; invited: { email: string; role: string; link: string } | null }) {
  const busy = useNavigation().formData?.get('intent') === 'invite'
  const fe = props.errors?.fieldErrors
  return (
    <Card>
      <CardHeader title="Invite a teammate" description="They get an email with a link valid for 7 days, and join with the role you pick." />
      <Form method="post" key={props.invited?.link ?? 'invite'}>
        <input type="hidden" name="intent" value="invite" />
        <CardBody className="grid gap-5 sm:grid-cols-[1fr_12rem]">
          {props.invited ? (
            <div className="sm:col-span-2">
              <Alert tone="success">
                <p>
                  Invitation sent to <strong className="font-medium">{props.invited.email}</strong> as {props.invited.role}. You can also share this
                  link with them:
                </p>
                <div className="mt-2 flex items-center gap-2">
                  <code className="flex-1 select-all break-all rounded bg-white/70 px-2 py-1 font-mono text-xs" data-testid="invite-link">
                    {props.invited.link}
                  </code>
                  <CopyButton value={props.invited.link} label="Copy link" />
                </div>
              </Alert>
            </div>
          ) : null}
          {props.errors?.formError ? (
            <div className="sm:col-span-2">
              <Alert>{props.errors.formError}</Alert>
            </div>
          ) : null}
          <Field label="Email" name="email" type="email" autoComplete="off" required placeholder="teammate@example.com" error={fe?.email} />
          <SelectField label="Role" name="role" defaultValue="member" error={fe?.role}>
            {props.roles.map((r) => (
              <option key={r} value={r}>
                {r.charAt(0).toUpperCase() + r.slice(1)}
              </option>
            ))}
          </SelectField>
        </CardBody>
        <CardFooter>
          <Button type="submit" disabled={busy}>
            {busy ? 'Sending…' : 'Send invitation'}
          </Button>
        </CardFooter>
      </Form>
    </Card>
  )
}

/** Ids of invitations whose revocation is in flight (hidden at once: optimistic UI). */
function useRevokingInvites(): Set<string> {
  const ids = useFetchers()
    .filter((f) => f.formData?.get('intent') === 'revoke-invite')
    .map((f) => String(f.formData?.get('id')))
  return new Set(ids)
}

/**
 * One invitation. The revoke form posts through a fetcher: the row disappears at once and stays
 * mounted (rendering nothing) so that, if the action fails, it comes back with the error. Without
 * JavaScript it is a plain POST with the same fields.
 */
function InviteRow({ invite: i }: { invite: InviteRowView }) {
  const fetcher = useFetcher<{ formError?: string }>()
  if (fetcher.state !== 'idle' && fetcher.formData?.get('intent') === 'revoke-invite') return null
  const error = fetcher.state === 'idle' ? fetcher.data?.formError : undefined
  return (
    <tr data-testid="invite-row">
      <Td className="font-medium text-slate-900">{i.email}</Td>
      <Td>
        <RoleBadge role={i.role} />
      </Td>
      <Td>{i.invitedBy ?? '—'}</Td>
      <Td>
        <DateTime iso={i.expiresAt} />
      </Td>
      <Td className="text-right">
        <fetcher.Form method="post">
          <input type="hidden" name="intent" value="revoke-invite" />
          <input type="hidden" name="id" value={i.id} />
          <Button type="submit" variant="ghost" size="sm">
            Revoke<span className="sr-only"> the invitation of {i.email}</span>
          </Button>
        </fetcher.Form>
        {error ? (
          <p role="alert" className="mt-1 whitespace-normal text-xs text-red-700">
            {error}
          </p>
        ) : null}
      </Td>
    </tr>
  )
}

export function PendingInvites({ invites }: { invites: InviteRowView[] }) {
  const revoking = useRevokingInvites()
  const visible = invites.filter((i) => !revoking.has(i.id)).length
  return (
    <Card className="overflow-hidden">
      <CardHeader title="Pending invitations" description={visible === 0 ? 'Nobody is waiting to join. Invite someone above.' : undefined} />
      {invites.length > 0 ? (
        <div hidden={visible === 0}>
          <Table caption="Pending invitations">
            <thead className="bg-slate-50">
              <tr>
                <Th>Email</Th>
                <Th>Role</Th>
                <Th>Invited by</Th>
                <Th>Expires</Th>
                <Th className="text-right">
                  <span className="sr-only">Actions</span>
                </Th>
              </tr>
            </thead>
            <TBody>
              {invites.map((i) => (
                <InviteRow key={i.id} invite={i} />
              ))}
            </TBody>
          </Table>
        </div>
      ) : null}
    </Card>
  )
}
