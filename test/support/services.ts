import { inject } from 'vitest'

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string
    adminDatabaseUrl: string
    redisUrl: string
    redisPrefix: string
    runId: string
  }
}

/** This run's own database (migrated by the global setup). */
export function testDatabaseUrl(): string {
  return inject('databaseUrl')
}

/** The machine's Postgres server, for tests that create a database of their own. */
export function adminDatabaseUrl(): string {
  return inject('adminDatabaseUrl')
}

export function testRedisUrl(): string {
  return inject('redisUrl')
}

/** A Redis prefix unique to this run and to `scope`, so concurrent test files never meet. */
export function testRedisPrefix(scope: string): string {
  return `${inject('redisPrefix')}${scope}:`
}

export function testRunId(): string {
  return inject('runId')
}
