import { ApiError } from '@switchyard/shared/errors'
import { toPage } from '../../lib/pagination.server.ts'
import { getVirtualKey as findVirtualKey, listVirtualKeys as findVirtualKeys, type VirtualKeyRow } from '../../models/virtual-key.server.ts'
import { issueVirtualKey, revokeKey } from '../../services/virtual-keys.server.ts'
import { asJsonObject, json, noContent, parseJsonBody, parseQuery } from '../http.server.ts'
import type { RouteContext } from '../router.server.ts'
import { CreateVirtualKeyBody, ListQuery, type VirtualKeyResource } from '../schemas.ts'

export function toVirtualKeyResource(row: VirtualKeyRow): VirtualKeyResource {
  return {
    id: row.id,
    name: row.name,
    keyHint: row.keyHint,
    allowedModels: row.allowedModels,
    expiresAt: row.expiresAt?.toISOString() ?? null,
    metadata: asJsonObject(row.metadata),
    createdAt: row.createdAt.toISOString(),
  }
}

export async function listVirtualKeys({ services, actor, url }: RouteContext) {
  const page = parseQuery(url, ListQuery)
  const rows = await findVirtualKeys(services.db, actor.teamId, { limit: page.limit, cursor: page.cursor ?? null })
  return json(toPage(rows, page.limit, toVirtualKeyResource))
}

export async function postVirtualKey({ services, actor, request }: RouteContext) {
  const body = await parseJsonBody(request, CreateVirtualKeyBody)
  const { key, ...row } = await issueVirtualKey(services, actor, body)
  const { id, name, ...rest } = toVirtualKeyResource(row)
  return json({ id, name, key, ...rest }, 201)
}

export async function getVirtualKey({ services, actor, params }: RouteContext) {
  const row = await findVirtualKey(services.db, actor.teamId, params.id ?? '')
  if (!row) throw new ApiError('not_found', 'virtual key not found')
  return json(toVirtualKeyResource(row))
}

export async function deleteVirtualKey({ services, actor, params }: RouteContext) {
  await revokeKey(services, actor, params.id ?? '')
  return noContent()
}
