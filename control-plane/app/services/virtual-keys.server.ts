import { ApiError } from '@switchyard/shared/errors'
import { newId } from '@switchyard/shared/ids'
import { generateVirtualKey, hashVirtualKey, virtualKeyHint } from '@switchyard/shared/keys'
import type { VirtualKeyLimits } from '../api/schemas.ts'
import type { Db, DbClient, Prisma } from '../lib/db.server.ts'
import { recordAuditEvent } from '../models/audit-event.server.ts'
import { findMembership } from '../models/membership.server.ts'
import {
  createVirtualKey,
  getVirtualKey,
  markVirtualKeyRotated,
  revokeVirtualKey,
  updateVirtualKey,
  type VirtualKeyRow,
} from '../models/virtual-key.server.ts'
import { type Actor, auditActor, requirePermission } from './admin-auth.server.ts'
import { can } from './permissions.ts'
import type { SnapshotPublisher } from './snapshot.server.ts'

// Virtual keys: minted (plaintext shown once, SHA-256 stored), edited, rotated with a grace
// period, revoked. Every change publishes a snapshot. A minted key never exceeds its minter's
// scope: see assertWithinMinterScope.

export interface VirtualKeyDeps {
  db: Db
  publisher: SnapshotPublisher
}

export interface VirtualKeySettings {
  allowedModels?: string[] | undefined
  expiresAt?: string | null | undefined
  metadata?: Record<string, string> | undefined
  ownerUserId?: string | undefined
  limits?: VirtualKeyLimits | undefined
}

export interface CreateVirtualKeyInput extends VirtualKeySettings {
  name: string
}

export type UpdateVirtualKeyInput = Partial<CreateVirtualKeyInput>

export type IssuedVirtualKey = VirtualKeyRow & { key: string }

const MAX_GRACE_SECONDS = 30 * 24 * 3600

function invalid(path: string, message: string): ApiError {
  return new ApiError('validation_failed', message, [{ path, message }])
}

function notFound(): ApiError {
  return new ApiError('not_found', 'virtual key not found')
}

function futureDate(value: string | null | undefined): Date | null {
  if (!value) return null
  const date = new Date(value)
  if (date.getTime() <= Date.now()) throw invalid('expiresAt', 'expiresAt must be in the future')
  return date
}

/**
 * The key may not reach further than its minter. Today an actor's reach is its role in one
 * team, so: the role must hold virtualKeys.write (checked by the callers), and the key belongs
 * to that team. HOOK: when admin tokens gain an allowedModels scope, enforce here that the
 * key's allowedModels ⊆ the token's (an empty list means "everything" and is then refused).
 */
function assertWithinMinterScope(actor: Actor, allowedModels: readonly string[]): void {
  void actor
  void allowedModels
}

/** The owner must be a member of the team; only member managers assign keys to someone else. */
async function checkOwner(db: DbClient, actor: Actor, ownerUserId: string): Promise<void> {
  if (ownerUserId !== actor.userId && !can(actor.role, 'members.manage')) {
    throw new ApiError('forbidden', `the ${actor.role} role may only own keys itself`)
  }
  if (!(await findMembership(db, actor.teamId, ownerUserId))) {
    throw invalid('ownerUserId', 'ownerUserId must be a member of this team')
  }
}

async function mint(
  tx: DbClient,
  actor: Actor,
  fields: { name: string; allowedModels: string[]; expiresAt: Date | null; metadata: object; limits: object; ownerUserId: string | null },
): Promise<IssuedVirtualKey> {
  const key = generateVirtualKey()
  const row = await createVirtualKey(tx, {
    id: newId('virtualKey'),
    teamId: actor.teamId,
    name: fields.name,
    keyHash: hashVirtualKey(key),
    keyHint: virtualKeyHint(key),
    allowedModels: fields.allowedModels,
    expiresAt: fields.expiresAt,
    metadata: fields.metadata as Prisma.InputJsonObject,
    limits: fields.limits as Prisma.InputJsonObject,
    ownerUserId: fields.ownerUserId,
    createdById: actor.userId,
  })
  return { ...row, key }
}

/** Creates a key; the plaintext is returned here once and stored only as its SHA-256. */
export async function issueVirtualKey(deps: VirtualKeyDeps, actor: Actor, input: CreateVirtualKeyInput): Promise<IssuedVirtualKey> {
  requirePermission(actor, 'virtualKeys.write')
  const allowedModels = input.allowedModels ?? []
  assertWithinMinterScope(actor, allowedModels)
  const expiresAt = futureDate(input.expiresAt)
  const ownerUserId = input.ownerUserId ?? actor.userId
  const issued = await deps.db.$transaction(async (tx) => {
    await checkOwner(tx, actor, ownerUserId)
    const created = await mint(tx, actor, {
      name: input.name,
      allowedModels,
      expiresAt,
      metadata: input.metadata ?? {},
      limits: input.limits ?? {},
      ownerUserId,
    })
    await recordAuditEvent(tx, {
      ...auditActor(actor),
      action: 'virtual_key.create',
      targetType: 'virtual_key',
      targetId: created.id,
      details: { name: input.name, keyHint: created.keyHint, ownerUserId },
    })
    return created
  })
  await deps.publisher.publish()
  return issued
}

export async function updateKey(deps: VirtualKeyDeps, actor: Actor, id: string, input: UpdateVirtualKeyInput): Promise<VirtualKeyRow> {
  requirePermission(actor, 'virtualKeys.write')
  if (input.allowedModels !== undefined) assertWithinMinterScope(actor, input.allowedModels)
  const expiresAt = input.expiresAt === undefined ? undefined : futureDate(input.expiresAt)
  const row = await deps.db.$transaction(async (tx) => {
    const existing = await getVirtualKey(tx, actor.teamId, id)
    if (!existing) return null
    if (existing.rotatedToId && expiresAt !== undefined) {
      throw new ApiError('conflict', 'this key was rotated: its expiry is fixed by the grace period')
    }
    if (input.ownerUserId !== undefined && input.ownerUserId !== existing.ownerUserId) await checkOwner(tx, actor, input.ownerUserId)
    const updated = await updateVirtualKey(tx, actor.teamId, id, {
      ...(input.name === undefined ? {} : { name: input.name }),
      ...(input.allowedModels === undefined ? {} : { allowedModels: input.allowedModels }),
      ...(expiresAt === undefined ? {} : { expiresAt }),
      ...(input.metadata === undefined ? {} : { metadata: input.metadata }),
      ...(input.limits === undefined ? {} : { limits: input.limits as Prisma.InputJsonObject }),
      ...(input.ownerUserId === undefined ? {} : { ownerUserId: input.ownerUserId }),
    })
    if (updated) {
      const changed = Object.keys(input).filter((k) => input[k as keyof UpdateVirtualKeyInput] !== undefined)
      await recordAuditEvent(tx, { ...auditActor(actor), action: 'virtual_key.update', targetType: 'virtual_key', targetId: id, details: { changed } })
    }
    return updated
  })
  if (!row) throw notFound()
  await deps.publisher.publish()
  return row
}

/**
 * A new key with exactly the old key's settings (shown once); the old key keeps working for the
 * grace period: its expiry becomes min(its own, now + grace), and it points at its successor.
 */
export async function rotateKey(deps: VirtualKeyDeps, actor: Actor, id: string, gracePeriodSeconds: number): Promise<IssuedVirtualKey> {
  requirePermission(actor, 'virtualKeys.write')
  if (!Number.isInteger(gracePeriodSeconds) || gracePeriodSeconds < 0 || gracePeriodSeconds > MAX_GRACE_SECONDS) {
    throw invalid('gracePeriodSeconds', `gracePeriodSeconds must be an integer from 0 to ${MAX_GRACE_SECONDS}`)
  }
  const now = Date.now()
  const issued = await deps.db.$transaction(async (tx) => {
    const old = await getVirtualKey(tx, actor.teamId, id)
    if (!old) throw notFound()
    if (old.rotatedToId) throw new ApiError('conflict', 'this key was already rotated')
    if (old.expiresAt && old.expiresAt.getTime() <= now) throw new ApiError('conflict', 'this key has expired and cannot be rotated')
    // The successor inherits the old key's scope exactly: nothing is widened by rotating.
    const created = await mint(tx, actor, {
      name: old.name,
      allowedModels: old.allowedModels,
      expiresAt: old.expiresAt,
      metadata: old.metadata as object,
      limits: old.limits as object,
      ownerUserId: old.ownerUserId,
    })
    const graceEnd = now + gracePeriodSeconds * 1000
    const expiresAt = new Date(old.expiresAt ? Math.min(old.expiresAt.getTime(), graceEnd) : graceEnd)
    if (!(await markVirtualKeyRotated(tx, actor.teamId, id, { rotatedToId: created.id, expiresAt }))) {
      throw new ApiError('conflict', 'this key was already rotated')
    }
    await recordAuditEvent(tx, {
      ...auditActor(actor),
      action: 'virtual_key.rotate',
      targetType: 'virtual_key',
      targetId: id,
      details: { rotatedToId: created.id, gracePeriodSeconds, keyHint: created.keyHint },
    })
    return created
  })
  await deps.publisher.publish()
  return issued
}

export async function revokeKey(deps: VirtualKeyDeps, actor: Actor, id: string): Promise<void> {
  requirePermission(actor, 'virtualKeys.write')
  const revoked = await deps.db.$transaction(async (tx) => {
    if (!(await revokeVirtualKey(tx, actor.teamId, id))) return false
    await recordAuditEvent(tx, { ...auditActor(actor), action: 'virtual_key.revoke', targetType: 'virtual_key', targetId: id })
    return true
  })
  if (!revoked) throw notFound()
  await deps.publisher.publish()
}
