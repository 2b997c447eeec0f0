import { ApiError } from '@switchyard/shared/errors'
import { newId } from '@switchyard/shared/ids'
import type { Keyring } from '@switchyard/shared/crypto'
import type { ProviderType } from '@switchyard/shared/snapshot'
import type { CreateProviderBody } from '../api/schemas.ts'
import { type Db, type DbClient, isUniqueViolation, type Prisma } from '../lib/db.server.ts'
import { recordAuditEvent } from '../models/audit-event.server.ts'
import {
  createProviderConnection,
  deleteProviderConnection,
  getProviderConnection,
  getProviderConnectionWithCredential,
  type ProviderConnectionRow,
  updateProviderConnection,
} from '../models/provider-connection.server.ts'
import { type Actor, auditActor, requirePermission } from './admin-auth.server.ts'
import { type ConnectionTestResult, runConnectionTest } from './connection-test.server.ts'
import type { Outbound } from './outbound.server.ts'
import { checkBaseUrl, parseSettings, type SecretPatch, secretFromPatch } from './providers-validation.server.ts'
import { routesNamingConnection } from '../models/route.server.ts'
import type { SnapshotPublisher } from './snapshot.server.ts'
import { CredentialUnavailableError, openProviderSecret, type ProviderSecret, sealProviderSecret } from './vault.server.ts'

// Provider connections of every type (CONTRACT.md). The vault stores them all; which types the
// data plane serves is its own business (it answers unsupported types with a clear 400).

export interface ProviderDeps {
  db: Db
  keyring: Keyring
  publisher: SnapshotPublisher
  outbound: Outbound
}

export type CreateProviderInput = CreateProviderBody

export interface UpdateProviderInput extends SecretPatch {
  name?: string | undefined
  baseUrl?: string | null | undefined
  settings?: Record<string, unknown> | undefined
}

function duplicateName(name: string): ApiError {
  return new ApiError('conflict', `a provider connection named "${name}" already exists in this team`)
}

function notFound(): ApiError {
  return new ApiError('not_found', 'provider connection not found')
}

/** A connection that routes name keeps its name and stays (routes reference it by name). */
async function refuseIfRoutesName(db: DbClient, teamId: string, name: string, doing: string): Promise<void> {
  const aliases = await routesNamingConnection(db, teamId, name)
  if (aliases.length > 0) {
    throw new ApiError('conflict', `cannot ${doing} "${name}": routes use it (${aliases.join(', ')}); change those routes first`)
  }
}

function secretOf(input: CreateProviderInput): ProviderSecret {
  return input.type === 'bedrock' ? { kind: 'aws', ...input.credentials } : { kind: 'apiKey', apiKey: input.apiKey }
}

export async function createProvider(deps: ProviderDeps, actor: Actor, input: CreateProviderInput): Promise<ProviderConnectionRow> {
  requirePermission(actor, 'providers.write')
  const baseUrl = input.baseUrl ?? null
  checkBaseUrl(deps.outbound.policy, input.type, baseUrl)
  const id = newId('provider')
  const sealed = sealProviderSecret(deps.keyring, { teamId: actor.teamId, id }, secretOf(input))
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
  requirePermission(actor, 'providers.write')
  const existing = await getProviderConnection(deps.db, actor.teamId, id)
  if (!existing) throw notFound()
  const type = existing.type as ProviderType
  const baseUrl = input.baseUrl === undefined ? existing.baseUrl : input.baseUrl
  checkBaseUrl(deps.outbound.policy, type, baseUrl)
  const settings = input.settings === undefined ? undefined : parseSettings(type, input.settings)
  const secret = secretFromPatch(type, input)
  if (input.name !== undefined && input.name !== existing.name) await refuseIfRoutesName(deps.db, actor.teamId, existing.name, 'rename')
  // A new credential is sealed under the current master key.
  const sealed = secret ? sealProviderSecret(deps.keyring, { teamId: actor.teamId, id }, secret) : {}
  let row: ProviderConnectionRow | null
  try {
    row = await deps.db.$transaction(async (tx) => {
      const updated = await updateProviderConnection(tx, actor.teamId, id, {
        ...(input.name === undefined ? {} : { name: input.name }),
        ...(input.baseUrl === undefined ? {} : { baseUrl: input.baseUrl }),
        ...(settings === undefined ? {} : { settings: settings as Prisma.InputJsonObject }),
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
  if (!row) throw notFound()
  await deps.publisher.publish()
  return row
}

export async function deleteProvider(deps: ProviderDeps, actor: Actor, id: string): Promise<void> {
  requirePermission(actor, 'providers.write')
  const deleted = await deps.db.$transaction(async (tx) => {
    const existing = await getProviderConnection(tx, actor.teamId, id)
    if (!existing) return false
    await refuseIfRoutesName(tx, actor.teamId, existing.name, 'delete')
    if (!(await deleteProviderConnection(tx, actor.teamId, id))) return false
    await recordAuditEvent(tx, {
      ...auditActor(actor),
      action: 'provider.delete',
      targetType: 'provider_connection',
      targetId: id,
      details: { name: existing.name, type: existing.type },
    })
    return true
  })
  if (!deleted) throw notFound()
  await deps.publisher.publish()
}

const UNOPENABLE =
  'the stored credential could not be opened (it was sealed for another connection, or under a master key this server does not hold); save the key again'

/**
 * Calls the provider's cheapest authenticated endpoint with the stored credential. Same
 * permission as saving (a test sends the team's credential to the stored base URL).
 */
export async function testProvider(deps: ProviderDeps, actor: Actor, id: string): Promise<ConnectionTestResult> {
  requirePermission(actor, 'providers.write')
  const row = await getProviderConnectionWithCredential(deps.db, actor.teamId, id)
  if (!row) throw notFound()
  const type = row.type as ProviderType
  let secret: ProviderSecret
  try {
    secret = openProviderSecret(deps.keyring, { teamId: row.teamId, id: row.id, type }, row.credential)
  } catch (err) {
    if (err instanceof CredentialUnavailableError) return { ok: false, latencyMs: 0, message: UNOPENABLE }
    throw err
  }
  const settings = typeof row.settings === 'object' && row.settings !== null && !Array.isArray(row.settings) ? row.settings : {}
  return runConnectionTest(deps.outbound, { type, baseUrl: row.baseUrl, settings: settings as Record<string, unknown> }, secret)
}
