import { createInvite, type InviteView, listInvites as findInvites, revokeInvite } from '../../services/invites.server.ts'
import { json, noContent, parseJsonBody, parseQuery } from '../http.server.ts'
import type { RouteContext } from '../router.server.ts'
import { CreateInviteBody, type InviteResource, ListQuery } from '../schemas.ts'

export function toInviteResource(invite: InviteView): InviteResource {
  return {
    id: invite.id,
    email: invite.email,
    role: invite.role,
    invitedById: invite.invitedById,
    expiresAt: invite.expiresAt.toISOString(),
    createdAt: invite.createdAt.toISOString(),
  }
}

export async function listInvites({ services, actor, url }: RouteContext) {
  const page = parseQuery(url, ListQuery)
  const result = await findInvites(services, actor, { limit: page.limit, cursor: page.cursor ?? null })
  return json({ data: result.data.map(toInviteResource), nextCursor: result.nextCursor })
}

export async function postInvite({ services, actor, request }: RouteContext) {
  const body = await parseJsonBody(request, CreateInviteBody)
  const { invite, link } = await createInvite(services, actor, { ...body, publicUrl: services.config.publicUrl })
  return json({ ...toInviteResource(invite), url: link }, 201)
}

export async function deleteInvite({ services, actor, params }: RouteContext) {
  await revokeInvite(services, actor, { id: params.id ?? '' })
  return noContent()
}
