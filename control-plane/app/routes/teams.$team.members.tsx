import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { useActionData, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { CreateInviteBody, UpdateMemberBody } from '../api/schemas.ts'
import { PageHeader } from '../components/app-shell.tsx'
import { InviteCard, PendingInvites } from '../components/members/invite-cards.tsx'
import { LeaveCard, TransferCard } from '../components/members/membership-cards.tsx'
import { MembersTable } from '../components/members/members-table.tsx'
import { Alert } from '../components/ui/alert.tsx'
import { Card } from '../components/ui/card.tsx'
import { redirectWithToast } from '../services/auth-route.server.ts'
import { requireTeamRole, type TeamAuthed } from '../services/auth.server.ts'
import { type ActionErrors, invalidForm, serviceCall, teamActor, zodFieldErrors } from '../services/console-actions.server.ts'
import { createInvite, listInvites, revokeInvite } from '../services/invites.server.ts'
import { changeMemberRole, leaveTeam, listMembers, removeMember } from '../services/members.server.ts'
import { assignableRoles, can, canManageMember, type Permission } from '../services/permissions.ts'
import { transferOwnership } from '../services/teams.server.ts'

export const meta: MetaFunction = () => [{ title: 'Members · Switchyard' }]

const ALL = { limit: 200, cursor: null }

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const auth = await requireTeamRole(request, context, params.team, 'members.read')
  const actor = teamActor(auth)
  const manage = can(auth.role, 'members.manage')
  const [members, invites] = await Promise.all([listMembers(context.services, actor, ALL), manage ? listInvites(context.services, actor, ALL) : null])
  const emailOf = new Map(members.data.map((m) => [m.userId, m.email]))
  return {
    team: { slug: auth.team.slug, name: auth.team.name },
    role: auth.role,
    roles: assignableRoles(auth.role),
    members: members.data
      .map((m) => ({
        userId: m.userId, email: m.email, name: m.name, role: m.role, joinedAt: m.joinedAt.toISOString(),
        isYou: m.userId === auth.user.id, manageable: m.userId !== auth.user.id && canManageMember(auth.role, m.role),
      }))
      .sort((a, b) => Number(b.role === 'owner') - Number(a.role === 'owner')),
    invites: invites?.data.map((i) => ({
      id: i.id, email: i.email, role: i.role, expiresAt: i.expiresAt.toISOString(), invitedBy: i.invitedById ? (emailOf.get(i.invitedById) ?? null) : null,
    })) ?? null,
    canTransfer: can(auth.role, 'team.transferOwnership'),
  }
}

const Id = z.string().min(1).max(100)
const Intent = z.discriminatedUnion('intent', [
  CreateInviteBody.extend({ intent: z.literal('invite') }),
  z.object({ intent: z.literal('revoke-invite'), id: Id }),
  UpdateMemberBody.extend({ intent: z.literal('change-role'), userId: Id }),
  z.object({ intent: z.literal('remove'), userId: Id }),
  z.object({ intent: z.literal('leave') }),
  z.object({ intent: z.literal('transfer'), userId: Id.catch(''), confirm: z.literal('yes', 'Tick the box to confirm.') }),
])
type Intent = z.infer<typeof Intent>

/** Each intent's permission in the table; the services check again (and canManageMember). */
const MEMBER_INTENT_PERMISSIONS: Record<Intent['intent'], Permission> = {
  invite: 'members.manage',
  'revoke-invite': 'members.manage',
  'change-role': 'members.manage',
  remove: 'members.manage',
  leave: 'team.read',
  transfer: 'team.transferOwnership',
}

const noField = () => 'form'

async function run(auth: TeamAuthed, context: ActionFunctionArgs['context'], input: Intent) {
  const services = context.services
  const actor = teamActor(auth)
  const here = `/teams/${auth.team.slug}/members`
  const done = (message: string, to = here) => redirectWithToast(to, { kind: 'success', message }, context)
  const call = <T,>(fn: () => Promise<T>, fieldOf: (p: string) => string = noField) => serviceCall(input.intent, fieldOf, fn)
  switch (input.intent) {
    case 'invite': {
      const r = await call(() => createInvite(services, actor, { email: input.email, role: input.role, publicUrl: services.config.publicUrl }), (p) => p)
      if (!r.ok) return r.response
      return data({ intent: 'invite' as const, invited: { email: r.value.invite.email, role: r.value.invite.role, link: r.value.link } })
    }
    case 'revoke-invite': {
      const r = await call(() => revokeInvite(services, actor, { id: input.id }))
      return r.ok ? done('Invitation revoked.') : r.response
    }
    case 'change-role': {
      const r = await call(() => changeMemberRole(services, actor, { userId: input.userId, role: input.role }))
      return r.ok ? done(`${r.value.email} is now ${r.value.role === 'admin' ? 'an' : 'a'} ${r.value.role}.`) : r.response
    }
    case 'remove': {
      const r = await call(() => removeMember(services, actor, { userId: input.userId }))
      return r.ok ? done('Member removed.') : r.response
    }
    case 'leave': {
      const r = await call(() => leaveTeam(services, actor))
      return r.ok ? done(`You left ${auth.team.name}.`, '/') : r.response
    }
    case 'transfer': {
      const r = await call(() => transferOwnership(services, actor, { userId: input.userId }))
      return r.ok ? done('Ownership transferred. You are now an admin.') : r.response
    }
  }
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const auth = await requireTeamRole(request, context, params.team, 'team.read')
  const fields = Object.fromEntries(await request.formData())
  const parsed = Intent.safeParse(fields)
  const intent = typeof fields.intent === 'string' ? fields.intent : 'unknown'
  const permission = MEMBER_INTENT_PERMISSIONS[intent as Intent['intent']] as Permission | undefined
  if (permission && !can(auth.role, permission)) throw new Response('Your role in this team does not allow this', { status: 403, statusText: 'Forbidden' })
  if (!parsed.success) return invalidForm(intent, zodFieldErrors(parsed.error))
  return run(auth, context, parsed.data)
}

type ActionResult = ActionErrors | { intent: 'invite'; invited: { email: string; role: string; link: string } }

export default function Members() {
  const { team, roles, members, invites, canTransfer } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>() as ActionResult | undefined
  const errors = result && !('invited' in result) ? result : undefined
  const invited = result && 'invited' in result ? result.invited : null
  const pageError = errors && !['invite', 'transfer'].includes(errors.intent) ? errors.formError : undefined
  const transferError = errors?.intent === 'transfer' ? (errors.fieldErrors?.confirm ?? errors.formError) : undefined
  const others = members.filter((m) => !m.isYou)
  return (
    <>
      <PageHeader title="Members" description={`Who has access to ${team.name}, and with which role.`} />
      <div className="space-y-6">
        {pageError ? <Alert>{pageError}</Alert> : null}
        {invites ? <InviteCard roles={roles} errors={errors?.intent === 'invite' ? errors : undefined} invited={invited} /> : null}
        <Card className="overflow-hidden">
          <MembersTable members={members} roles={roles} />
        </Card>
        {invites ? <PendingInvites invites={invites} /> : null}
        {canTransfer ? (
          <TransferCard candidates={others.map((m) => ({ userId: m.userId, label: `${m.name || m.email} (${m.role})` }))} error={transferError} />
        ) : (
          <LeaveCard teamName={team.name} error={undefined} />
        )}
      </div>
    </>
  )
}

export { RouteErrorBoundary as ErrorBoundary } from '../components/route-error.tsx'
