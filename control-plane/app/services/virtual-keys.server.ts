import { ApiError } from '@switchyard/shared/errors'
import { newId } from '@switchyard/shared/ids'
import { generateVirtualKey, hashVirtualKey, virtualKeyHint } from '@switchyard/shared/keys'
import type { Db, Prisma } from '../lib/db.server.ts'
import { recordAuditEvent } from '../models/audit-event.server.ts'
import { createVirtualKey, revokeVirtualKey, type VirtualKeyRow } from '../models/virtual-key.server.ts'
import { type Actor, auditActor, requireWriteRole } from './admin-auth.server.ts'
import type { SnapshotPublisher } from './snapshot.server.ts'

export interface VirtualKeyDeps {
  db: Db
  publisher: SnapshotPublisher
}

export interface CreateVirtualKeyInput {
  name: string
  allowedModels?: string[] | undefined
  expiresAt?: string | null | undefined
  metadata?: Record<string, unknown> | undefined
}

/** Creates a key; the plaintext is returned here once and stored only as its SHA-256. */
export async function issueVirtualKey(
  deps: VirtualKeyDeps,
  actor: Actor,
  input: CreateVirtualKeyInput,
): Promise<VirtualKeyRow & { key: string }> {
  requireWriteRole(actor)
  const expiresAt = input.expiresAt ? new Date(input.expiresAt) : null
  if (expiresAt && expiresAt.getTime() <= Date.now()) {
    throw new ApiError('validation_failed', 'expiresAt must be in the future', [
      { path: 'expiresAt', message: 'must be in the future' },
    ])
  }
  const key = generateVirtualKey()
  const id = newId('virtualKey')
  const row = await deps.db.$transaction(async (tx) => {
    const created = await createVirtualKey(tx, {
      id,
      teamId: actor.teamId,
      name: input.name,
      keyHash: hashVirtualKey(key),
      keyHint: virtualKeyHint(key),
      allowedModels: input.allowedModels ?? [],
      expiresAt,
      metadata: (input.metadata ?? {}) as Prisma.InputJsonObject,
    })
    await recordAuditEvent(tx, {
      ...auditActor(actor),
      action: 'virtual_key.create',
      targetType: 'virtual_key',
      targetId: id,
      details: { name: input.name, keyHint: created.keyHint },
    })
    return created
  })
  await deps.publisher.publish()
  return { ...row, key }
}

export async function revokeKey(deps: VirtualKeyDeps, actor: Actor, id: string): Promise<void> {
  requireWriteRole(actor)
  const revoked = await deps.db.$transaction(async (tx) => {
    if (!(await revokeVirtualKey(tx, actor.teamId, id))) return false
    await recordAuditEvent(tx, { ...auditActor(actor), action: 'virtual_key.revoke', targetType: 'virtual_key', targetId: id })
    return true
  })
  if (!revoked) throw new ApiError('not_found', 'virtual key not found')
  await deps.publisher.publish()
}
