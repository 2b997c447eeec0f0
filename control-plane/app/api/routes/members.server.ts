import { changeMemberRole, listMembers as findMembers, type MemberView, removeMember } from '../../services/members.server.ts'
import { json, noContent, parseJsonBody, parseQuery } from '../http.server.ts'
import type { RouteContext } from '../router.server.ts'
import { ListQuery, type MemberResource, UpdateMemberBody } from '../schemas.ts'

export function toMemberResource(member: MemberView): MemberResource {
  return { ...member, joinedAt: member.joinedAt.toISOString() }
}

export async function listMembers({ services, actor, url }: RouteContext) {
  const page = parseQuery(url, ListQuery)
  const result = await findMembers(services, actor, { limit: page.limit, cursor: page.cursor ?? null })
  return json({ data: result.data.map(toMemberResource), nextCursor: result.nextCursor })
}

export async function patchMember({ services, actor, request, params }: RouteContext) {
  const body = await parseJsonBody(request, UpdateMemberBody)
  return json(toMemberResource(await changeMemberRole(services, actor, { userId: params.userId ?? '', role: body.role })))
}

export async function deleteMember({ services, actor, params }: RouteContext) {
  await removeMember(services, actor, { userId: params.userId ?? '' })
  return noContent()
}
