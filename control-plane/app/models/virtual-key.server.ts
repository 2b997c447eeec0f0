import type { DbClient, Prisma } from '../lib/db.server.ts'
import { afterCursor, NEWEST_FIRST, type PageRequest } from '../lib/pagination.server.ts'

// Virtual keys, scoped by team. Only the hash is stored; revoked keys are invisible here.

const PUBLIC_SELECT = {
  id: true,
  name: true,
  keyHint: true,
  allowedModels: true,
  expiresAt: true,
  metadata: true,
  limits: true,
  ownerUserId: true,
  createdById: true,
  lastUsedAt: true,
  rotatedToId: true,
  createdAt: true,
} as const

export type VirtualKeyRow = Prisma.VirtualKeyGetPayload<{ select: typeof PUBLIC_SELECT }>

export function createVirtualKey(
  db: DbClient,
  data: {
    id: string
    teamId: string
    name: string
    keyHash: string
    keyHint: string
    allowedModels: string[]
    expiresAt: Date | null
    metadata: Prisma.InputJsonObject
    limits: Prisma.InputJsonObject
    ownerUserId: string | null
    createdById: string | null
  },
) {
  return db.virtualKey.create({ data, select: PUBLIC_SELECT })
}

export function getVirtualKey(db: DbClient, teamId: string, id: string) {
  return db.virtualKey.findFirst({ where: { id, teamId, revokedAt: null }, select: PUBLIC_SELECT })
}

export function listVirtualKeys(db: DbClient, teamId: string, page: PageRequest) {
  return db.virtualKey.findMany({
    where: { teamId, revokedAt: null, ...afterCursor(page.cursor) },
    orderBy: NEWEST_FIRST,
    take: page.limit + 1,
    select: PUBLIC_SELECT,
  })
}

export async function updateVirtualKey(
  db: DbClient,
  teamId: string,
  id: string,
  data: {
    name?: string
    allowedModels?: string[]
    expiresAt?: Date | null
    metadata?: Prisma.InputJsonObject
    limits?: Prisma.InputJsonObject
    ownerUserId?: string
  },
) {
  const { count } = await db.virtualKey.updateMany({ where: { id, teamId, revokedAt: null }, data })
  return count === 0 ? null : getVirtualKey(db, teamId, id)
}

/** Marks a live, not yet rotated key as replaced by `rotatedToId`; false when it no longer qualifies. */
export async function markVirtualKeyRotated(
  db: DbClient,
  teamId: string,
  id: string,
  data: { rotatedToId: string; expiresAt: Date },
): Promise<boolean> {
  const { count } = await db.virtualKey.updateMany({ where: { id, teamId, revokedAt: null, rotatedToId: null }, data })
  return count > 0
}

export async function revokeVirtualKey(db: DbClient, teamId: string, id: string): Promise<boolean> {
  const { count } = await db.virtualKey.updateMany({ where: { id, teamId, revokedAt: null }, data: { revokedAt: new Date() } })
  return count > 0
}

export const LAST_USED_RESOLUTION_MS = 60_000

/**
 * Moves lastUsedAt forward to `at` when it is unset or at least a minute older: the column is
 * written at most once a minute per key, however many requests or ingesters there are.
 */
export async function recordVirtualKeyUse(db: DbClient, use: { teamId: string; id: string; at: Date }): Promise<boolean> {
  const threshold = new Date(use.at.getTime() - LAST_USED_RESOLUTION_MS)
  const { count } = await db.virtualKey.updateMany({
    where: { id: use.id, teamId: use.teamId, OR: [{ lastUsedAt: null }, { lastUsedAt: { lte: threshold } }] },
    data: { lastUsedAt: use.at },
  })
  return count > 0
}

export function countLiveVirtualKeys(db: DbClient) {
  return db.virtualKey.count({ where: { revokedAt: null } })
}

/** Every live key of every team, for the snapshot compiler. */
export function listAllLiveVirtualKeysForSnapshot(db: DbClient) {
  return db.virtualKey.findMany({
    where: { revokedAt: null },
    orderBy: { id: 'asc' },
    select: { id: true, teamId: true, name: true, keyHash: true, allowedModels: true, expiresAt: true, metadata: true },
  })
}
