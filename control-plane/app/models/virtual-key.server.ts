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

export async function revokeVirtualKey(db: DbClient, teamId: string, id: string): Promise<boolean> {
  const { count } = await db.virtualKey.updateMany({ where: { id, teamId, revokedAt: null }, data: { revokedAt: new Date() } })
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
