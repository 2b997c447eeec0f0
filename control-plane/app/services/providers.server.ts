import { ApiError } from '@switchyard/shared/errors'
import { newId } from '@switchyard/shared/ids'
import type { Keyring } from '@switchyard/shared/crypto'
import type { ProviderType } from '@switchyard/shared/snapshot'
import { type Db, isUniqueViolation, type Prisma } from '../lib/db.server.ts'
import { recordAuditEvent } from '../models/audit-event.server.ts'
import {
  createProviderConnection,
  deleteProviderConnection,
  getProviderConnection,
  type ProviderConnectionRow,
  updateProviderConnection,
} from '../models/provider-connection.server.ts'
import { type Actor, auditActor, requireWriteRole } from './admin-auth.server.ts'
import type { SnapshotPublisher } from './snapshot.server.ts'
import { sealProviderKey } from './vault.server.ts'

/** The types the data plane can serve today; the others are accepted by the schema later. */
export const SERVABLE_PROVIDER_TYPES: readonly ProviderType[] = ['openai', 'openai-compatible']

export interface ProviderDeps {
  db: Db
  keyring: Keyring
  publisher: SnapshotPublisher
}

export interface CreateProviderInput {
  name: string
  type: ProviderType
  apiKey: string
  baseUrl?: string | undefined
  settings?: Record<string, unknown> | undefined
}

export interface UpdateProviderInput {
  name?: string | undefined
  apiKey?: string | undefined
  baseUrl?: string | null | undefined
  settings?: Record<string, unknown> | undefined
}

function checkServable(type: ProviderType, baseUrl: string | null): void {
  if (!SERVABLE_PROVIDER_TYPES.includes(type)) {
    const message = `provider type "${type}" is not supported yet (supported: ${SERVABLE_PROVIDER_TYPES.join(', ')})`
    throw new ApiError('validation_failed', message, [{ path: 'type', message }])
  }
  if (type === 'openai-compatible' && !baseUrl) {
    const message = 'baseUrl is required for openai-compatible connections'
    throw new ApiError('validation_failed', message, [{ path: 'baseUrl', message }])
  }
}

function duplicateName(name: string): ApiError {
  return new ApiError('conflict', `a provider connection named "${name}" already exists in this team`)
}

export async function createProvider(deps: ProviderDeps, actor: Actor, input: CreateProviderInput): Promise<ProviderConnectionRow> {
  requireWriteRole(actor)
  const baseUrl = input.baseUrl ?? null
  checkServable(input.type, baseUrl)
  const id = newId('provider')
  const sealed = sealProviderKey(deps.keyring, { teamId: actor.teamId, id }, input.apiKey)
  let row: ProviderConnectionRow
  try {
    row = await deps.db.$transaction(async (tx) => {
      const created = await createProviderConnection(tx, {
        id,
        teamId: actor.teamId,
        name: input.name,
        type: input.type,
        baseUrl,
        settings: (input.settings ?? {}) as Prisma.InputJsonObject,
        ...sealed,
      })
      await recordAuditEvent(tx, {
        ...auditActor(actor),
        action: 'provider.create',
        targetType: 'provider_connection',
        targetId: id,
        details: { name: input.name, type: input.type, keyHint: sealed.keyHint },
      })
      return created
    })
  } catch (err) {
    if (isUniqueViolation(err)) throw duplicateName(input.name)
    throw err
  }
  await deps.publisher.publish()
  return row
}

export async function updateProvider(
  deps: ProviderDeps,
  actor: Actor,
  id: string,
  input: UpdateProviderInput,
): Promise<ProviderConnectionRow> {
  requireWriteRole(actor)
  const existing = await getProviderConnection(deps.db, actor.teamId, id)
  if (!existing) throw new ApiError('not_found', 'provider connection not found')
  const baseUrl = input.baseUrl === undefined ? existing.baseUrl : input.baseUrl
  checkServable(existing.type as ProviderType, baseUrl)
  const sealed = input.apiKey === undefined ? {} : sealProviderKey(deps.keyring, { teamId: actor.teamId, id }, input.apiKey)
  let row: ProviderConnectionRow | null
  try {
    row = await deps.db.$transaction(async (tx) => {
      const updated = await updateProviderConnection(tx, actor.teamId, id, {
        ...(input.name === undefined ? {} : { name: input.name }),
        ...(input.baseUrl === undefined ? {} : { baseUrl: input.baseUrl }),
        ...(input.settings === undefined ? {} : { settings: input.settings as Prisma.InputJsonObject }),
        ...sealed,
      })
      if (updated) {
        const changed = Object.keys(input).filter((k) => input[k as keyof UpdateProviderInput] !== undefined)
        await recordAuditEvent(tx, {
          ...auditActor(actor),
          action: 'provider.update',
          targetType: 'provider_connection',
          targetId: id,
          details: { name: updated.name, changed },
        })
      }
      return updated
    })
  } catch (err) {
    if (isUniqueViolation(err)) throw duplicateName(input.name ?? existing.name)
    throw err
  }
  if (!row) throw new ApiError('not_found', 'provider connection not found')
  await deps.publisher.publish()
  return row
}

export async function deleteProvider(deps: ProviderDeps, actor: Actor, id: string): Promise<void> {
  requireWriteRole(actor)
  const deleted = await deps.db.$transaction(async (tx) => {
    const existing = await getProviderConnection(tx, actor.teamId, id)
    if (!existing || !(await deleteProviderConnection(tx, actor.teamId, id))) return false
    await recordAuditEvent(tx, {
      ...auditActor(actor),
      action: 'provider.delete',
      targetType: 'provider_connection',
      targetId: id,
      details: { name: existing.name, type: existing.type },
    })
    return true
  })
  if (!deleted) throw new ApiError('not_found', 'provider connection not found')
  await deps.publisher.publish()
}
