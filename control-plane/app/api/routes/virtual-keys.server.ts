import { ApiError } from '@switchyard/shared/errors'
import { toPage } from '../../lib/pagination.server.ts'
import { getVirtualKey as findVirtualKey, listVirtualKeys as findVirtualKeys, type VirtualKeyRow } from '../../models/virtual-key.server.ts'
import { type IssuedVirtualKey, issueVirtualKey, revokeKey, rotateKey, updateKey } from '../../services/virtual-keys.server.ts'
import { asJsonObject, json, noContent, parseJsonBody, parseQuery } from '../http.server.ts'
import type { RouteContext } from '../router.server.ts'
import {
  CreateVirtualKeyBody,
  ListQuery,
  RotateVirtualKeyBody,
  UpdateVirtualKeyBody,
  VirtualKeyLimits,
  type VirtualKeyResource,
} from '../schemas.ts'

function stringRecord(value: unknown): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(asJsonObject(value))) out[k] = typeof v === 'string' ? v : JSON.stringify(v)
  return out
}

export function toVirtualKeyResource(row: VirtualKeyRow): VirtualKeyResource {
  const limits = VirtualKeyLimits.safeParse(row.limits)
  return {
    id: row.id,
    name: row.name,
    keyHint: row.keyHint,
    allowedModels: row.allowedModels,
    expiresAt: row.expiresAt?.toISOString() ?? null,
    metadata: stringRecord(row.metadata),
    limits: limits.success ? limits.data : {},
    ownerUserId: row.ownerUserId,
    createdById: row.createdById,
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    rotatedToId: row.rotatedToId,
    createdAt: row.createdAt.toISOString(),
  }
}

function created({ key, ...row }: IssuedVirtualKey): Response {
  const { id, name, ...rest } = toVirtualKeyResource(row)
  return json({ id, name, key, ...rest }, 201)
}

export async function listVirtualKeys({ services, actor, url }: RouteContext) {
  const page = parseQuery(url, ListQuery)
  const rows = await findVirtualKeys(services.db, actor.teamId, { limit: page.limit, cursor: page.cursor ?? null })
  return json(toPage(rows, page.limit, toVirtualKeyResource))
}

export async function postVirtualKey({ services, actor, request }: RouteContext) {
  const body = await parseJsonBody(request, CreateVirtualKeyBody)
  return created(await issueVirtualKey(services, actor, body))
}

export async function getVirtualKey({ services, actor, params }: RouteContext) {
  const row = await findVirtualKey(services.db, actor.teamId, params.id ?? '')
  if (!row) throw new ApiError('not_found', 'virtual key not found')
  return json(toVirtualKeyResource(row))
}

export async function patchVirtualKey({ services, actor, request, params }: RouteContext) {
  const body = await parseJsonBody(request, UpdateVirtualKeyBody)
  return json(toVirtualKeyResource(await updateKey(services, actor, params.id ?? '', body)))
}

export async function postVirtualKeyRotation({ services, actor, request, params }: RouteContext) {
  const body = await parseJsonBody(request, RotateVirtualKeyBody)
  return created(await rotateKey(services, actor, params.id ?? '', body.gracePeriodSeconds))
}

export async function deleteVirtualKey({ services, actor, params }: RouteContext) {
  await revokeKey(services, actor, params.id ?? '')
  return noContent()
}
