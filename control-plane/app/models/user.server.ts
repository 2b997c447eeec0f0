import type { DbClient } from '../lib/db.server.ts'

export function findUserByEmail(db: DbClient, email: string) {
  return db.user.findUnique({ where: { email }, select: { id: true, email: true, passwordHash: true } })
}

export function createUser(db: DbClient, data: { id: string; email: string; passwordHash: string }) {
  return db.user.create({ data, select: { id: true, email: true } })
}
