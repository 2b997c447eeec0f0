import { PrismaPg } from '@prisma/adapter-pg'
import { Prisma, PrismaClient } from '../generated/prisma/client.ts'

export { Prisma }
export type { Role } from '../generated/prisma/client.ts'
export type Db = PrismaClient

/** The client or an interactive transaction: models accept either. */
export type DbClient = Db | Prisma.TransactionClient

/** One PrismaClient per process, created by its entry point and handed to services. */
export function createDb(databaseUrl: string): Db {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl }) })
}

function prismaCode(err: unknown): unknown {
  return typeof err === 'object' && err !== null && 'code' in err ? (err as { code: unknown }).code : undefined
}

/** Postgres unique-constraint violation (Prisma P2002). */
export function isUniqueViolation(err: unknown): boolean {
  return prismaCode(err) === 'P2002'
}

/** A transaction Postgres aborted for a deadlock or a serialization failure (Prisma P2034): safe to run again. */
export function isWriteConflict(err: unknown): boolean {
  return prismaCode(err) === 'P2034'
}
