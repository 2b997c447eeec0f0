import type { SealedSecret } from '@switchyard/shared/crypto'
import type { DbClient, Prisma } from '../lib/db.server.ts'
import { afterCursor, NEWEST_FIRST, type PageRequest } from '../lib/pagination.server.ts'

// Provider connections, always scoped by team. The public select never includes `credential`.

const PUBLIC_SELECT = {
  id: true,
  name: true,
  type: true,
  baseUrl: true,
  keyHint: true,
  settings: true,
  createdAt: true,
  updatedAt: true,
} as const

export type ProviderConnectionRow = Prisma.ProviderConnectionGetPayload<{ select: typeof PUBLIC_SELECT }>

export function createProviderConnection(
  db: DbClient,
  data: {
    id: string
    teamId: string
    name: string
    type: string
    baseUrl: string | null
    settings: Prisma.InputJsonObject
    credential: SealedSecret
    keyHint: string
  },
) {
  return db.providerConnection.create({ data, select: PUBLIC_SELECT })
}

export function getProviderConnection(db: DbClient, teamId: string, id: string) {
  return db.providerConnection.findFirst({ where: { id, teamId }, select: PUBLIC_SELECT })
}

/** One connection with its sealed credential, for "test connection" (opened by the vault only). */
export function getProviderConnectionWithCredential(db: DbClient, teamId: string, id: string) {
  return db.providerConnection.findFirst({
    where: { id, teamId },
    select: { id: true, teamId: true, name: true, type: true, baseUrl: true, settings: true, credential: true },
  })
}

export function listProviderConnections(db: DbClient, teamId: string, page: PageRequest) {
  return db.providerConnection.findMany({
    where: { teamId, ...afterCursor(page.cursor) },
    orderBy: NEWEST_FIRST,
    take: page.limit + 1,
    select: PUBLIC_SELECT,
  })
}

export async function updateProviderConnection(
  db: DbClient,
  teamId: string,
  id: string,
  data: {
    name?: string
    baseUrl?: string | null
    settings?: Prisma.InputJsonObject
    credential?: SealedSecret
    keyHint?: string
  },
) {
  const { count } = await db.providerConnection.updateMany({ where: { id, teamId }, data })
  return count === 0 ? null : getProviderConnection(db, teamId, id)
}

export async function deleteProviderConnection(db: DbClient, teamId: string, id: string): Promise<boolean> {
  const { count } = await db.providerConnection.deleteMany({ where: { id, teamId } })
  return count > 0
}

export function countProviderConnections(db: DbClient) {
  return db.providerConnection.count()
}

/** Every connection with its sealed credential: only for the snapshot compiler and key rotation. */
export function listAllProviderConnectionsWithCredential(db: DbClient) {
  return db.providerConnection.findMany({
    orderBy: { id: 'asc' },
    select: { id: true, teamId: true, name: true, type: true, baseUrl: true, settings: true, credential: true },
  })
}

export function replaceProviderCredential(db: DbClient, id: string, credential: SealedSecret) {
  return db.providerConnection.update({ where: { id }, data: { credential }, select: { id: true } })
}

/** The names of a team's connections (route targets are checked against them). */
export async function listProviderConnectionNames(db: DbClient, teamId: string): Promise<string[]> {
  const rows = await db.providerConnection.findMany({ where: { teamId }, select: { name: true }, orderBy: { name: 'asc' } })
  return rows.map((r) => r.name)
}
