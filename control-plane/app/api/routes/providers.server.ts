import { ApiError } from '@switchyard/shared/errors'
import type { ProviderType } from '@switchyard/shared/snapshot'
import { toPage } from '../../lib/pagination.server.ts'
import { getProviderConnection, listProviderConnections, type ProviderConnectionRow } from '../../models/provider-connection.server.ts'
import { createProvider, deleteProvider, testProvider, updateProvider } from '../../services/providers.server.ts'
import { asJsonObject, json, noContent, parseJsonBody, parseQuery } from '../http.server.ts'
import type { RouteContext } from '../router.server.ts'
import { CreateProviderBody, ListQuery, type ProviderResource, UpdateProviderBody } from '../schemas.ts'

export function toProviderResource(row: ProviderConnectionRow): ProviderResource {
  return {
    id: row.id,
    name: row.name,
    type: row.type as ProviderType,
    baseUrl: row.baseUrl,
    keyHint: row.keyHint,
    settings: asJsonObject(row.settings),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  }
}

export async function listProviders({ services, actor, url }: RouteContext) {
  const page = parseQuery(url, ListQuery)
  const rows = await listProviderConnections(services.db, actor.teamId, { limit: page.limit, cursor: page.cursor ?? null })
  return json(toPage(rows, page.limit, toProviderResource))
}

export async function postProvider({ services, actor, request }: RouteContext) {
  const body = await parseJsonBody(request, CreateProviderBody)
  return json(toProviderResource(await createProvider(services, actor, body)), 201)
}

export async function getProvider({ services, actor, params }: RouteContext) {
  const row = await getProviderConnection(services.db, actor.teamId, params.id ?? '')
  if (!row) throw new ApiError('not_found', 'provider connection not found')
  return json(toProviderResource(row))
}

export async function patchProvider({ services, actor, request, params }: RouteContext) {
  const body = await parseJsonBody(request, UpdateProviderBody)
  return json(toProviderResource(await updateProvider(services, actor, params.id ?? '', body)))
}

export async function removeProvider({ services, actor, params }: RouteContext) {
  await deleteProvider(services, actor, params.id ?? '')
  return noContent()
}

export async function postProviderTest({ services, actor, params }: RouteContext) {
  return json(await testProvider(services, actor, params.id ?? ''))
}
