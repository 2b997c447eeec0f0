import type { DbClient } from '../lib/db.server.ts'

/** The counts a team's dashboard opens with. */
export async function teamOverview(db: DbClient, teamId: string, since: Date) {
  const [providers, virtualKeys, requests] = await Promise.all([
    db.providerConnection.count({ where: { teamId } }),
    db.virtualKey.count({ where: { teamId, revokedAt: null } }),
    db.requestLog.count({ where: { teamId, createdAt: { gte: since } } }),
  ])
  return { providers, virtualKeys, requests }
}
