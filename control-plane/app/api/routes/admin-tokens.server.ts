import { type AdminTokenView, issueAdminToken, listAdminTokens as findAdminTokens, revokeAdminToken } from '../../services/admin-tokens.server.ts'
import { json, noContent, parseJsonBody, parseQuery } from '../http.server.ts'
import type { RouteContext } from '../router.server.ts'
import { type AdminTokenResource, CreateAdminTokenBody, ListQuery } from '../schemas.ts'

export function toAdminTokenResource(row: AdminTokenView): AdminTokenResource {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    keyHint: row.keyHint,
    userId: row.userId,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    expiresAt: row.expiresAt?.toISOString() ?? null,
  }
}

export async function listAdminTokens({ services, actor, url }: RouteContext) {
  const page = parseQuery(url, ListQuery)
  const result = await findAdminTokens(services, actor, { limit: page.limit, cursor: page.cursor ?? null })
  return json({ data: result.data.map(toAdminTokenResource), nextCursor: result.nextCursor })
}

export async function postAdminToken({ services, actor, request }: RouteContext) {
  const body = await parseJsonBody(request, CreateAdminTokenBody)
  const { token, ...row } = await issueAdminToken(services, actor, body)
  return json({ ...toAdminTokenResource(row), token }, 201)
}

export async function deleteAdminToken({ services, actor, params }: RouteContext) {
  await revokeAdminToken(services, actor, { id: params.id ?? '' })
  return noContent()
}
