import { leaveTeam } from '../../services/members.server.ts'
import { deleteTeam, getCurrentTeam, renameTeam, type TeamView, transferOwnership } from '../../services/teams.server.ts'
import { json, noContent, parseJsonBody, parseQuery } from '../http.server.ts'
import type { RouteContext } from '../router.server.ts'
import { DeleteTeamQuery, type TeamResource, TransferOwnershipBody, UpdateTeamBody } from '../schemas.ts'

export function toTeamResource(team: TeamView): TeamResource {
  return {
    id: team.id,
    name: team.name,
    slug: team.slug,
    ownerUserId: team.ownerUserId,
    createdAt: team.createdAt.toISOString(),
    updatedAt: team.updatedAt.toISOString(),
  }
}

export async function getTeam({ services, actor }: RouteContext) {
  return json(toTeamResource(await getCurrentTeam(services, actor)))
}

export async function patchTeam({ services, actor, request }: RouteContext) {
  const body = await parseJsonBody(request, UpdateTeamBody)
  return json(toTeamResource(await renameTeam(services, actor, body)))
}

export async function postTransferOwnership({ services, actor, request }: RouteContext) {
  const body = await parseJsonBody(request, TransferOwnershipBody)
  return json(toTeamResource(await transferOwnership(services, actor, body)))
}

export async function postLeaveTeam({ services, actor }: RouteContext) {
  await leaveTeam(services, actor)
  return noContent()
}

export async function removeTeam({ services, actor, url }: RouteContext) {
  const query = parseQuery(url, DeleteTeamQuery)
  await deleteTeam(services, actor, query)
  return noContent()
}
