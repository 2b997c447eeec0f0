import type { DbClient } from '../lib/db.server.ts'

export function findUserByEmail(db: DbClient, email: string) {
  return db.user.findUnique({ where: { email }, select: { id: true, email: true, passwordHash: true } })
}

export function createUser(db: DbClient, data: { id: string; email: string; passwordHash: string }) {
  return db.user.create({ data, select: { id: true, email: true } })
}

// Console accounts (signup, login, settings).

export function createUserWithName(db: DbClient, data: { id: string; email: string; name: string; passwordHash: string }) {
  return db.user.create({ data, select: { id: true, email: true, name: true } })
}

export function findUserCredentialsById(db: DbClient, id: string) {
  return db.user.findUnique({ where: { id }, select: { id: true, email: true, passwordHash: true } })
}

export function findUserProfile(db: DbClient, id: string) {
  return db.user.findUnique({ where: { id }, select: { id: true, email: true, name: true, emailVerifiedAt: true } })
}

export function updateUserPasswordHash(db: DbClient, id: string, passwordHash: string) {
  return db.user.update({ where: { id }, data: { passwordHash }, select: { id: true } })
}

export function updateUserName(db: DbClient, id: string, name: string) {
  return db.user.update({ where: { id }, data: { name }, select: { id: true, name: true } })
}

export function markUserEmailVerified(db: DbClient, id: string, at: Date) {
  return db.user.updateMany({ where: { id, emailVerifiedAt: null }, data: { emailVerifiedAt: at } })
}
