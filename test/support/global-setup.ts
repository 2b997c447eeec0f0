import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { Redis } from 'ioredis'
import pg from 'pg'
import type { TestProject } from 'vitest/node'
import { migrate } from '../../control-plane/server/db/migrate.ts'

// `npm test` needs the machine's PostgreSQL and Redis (CONTRACT.md). Missing either is a loud
// failure with a clear message, never a skipped suite. Each run gets its own database and its
// own Redis prefix, and removes both when it ends.

const pgServer = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'

function withDatabase(url: string, database: string): string {
  const u = new URL(url)
  u.pathname = `/${database}`
  return u.toString()
}

async function checkPostgres(): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: pgServer, connectionTimeoutMillis: 5000 })
  try {
    await client.connect()
    return client
  } catch (err) {
    throw new Error(
      `npm test needs PostgreSQL: could not connect to ${new URL(pgServer).host} (${(err as Error).message}). ` +
        'Start the machine\'s PostgreSQL or set DATABASE_URL to a server the tests may create databases on.',
    )
  }
}

async function checkRedis(): Promise<Redis> {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null })
  redis.on('error', () => {})
  try {
    await redis.connect()
    await redis.ping()
    return redis
  } catch (err) {
    redis.disconnect()
    throw new Error(
      `npm test needs Redis: could not reach ${new URL(redisUrl).host} (${(err as Error).message}). ` +
        'Start the machine\'s Redis or set REDIS_URL.',
    )
  }
}

export default async function setup(project: TestProject) {
  const runId = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`
  const database = `switchyard_test_${runId}`
  const redisPrefix = `sytest:${runId}:`

  // End-to-end tests start the control plane directly: its console must be built first.
  execFileSync(process.execPath, ['control-plane/bin/ensure-build.mjs'], { stdio: ['ignore', 'inherit', 'inherit'] })

  const admin = await checkPostgres()
  const redis = await checkRedis()
  await admin.query(`CREATE DATABASE "${database}"`)
  const databaseUrl = withDatabase(pgServer, database)
  await migrate(databaseUrl)

  project.provide('databaseUrl', databaseUrl)
  project.provide('adminDatabaseUrl', pgServer)
  project.provide('redisUrl', redisUrl)
  project.provide('redisPrefix', redisPrefix)
  project.provide('runId', runId)

  return async () => {
    await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`)
    // Databases made by tests of their own (e2e processes) share the run id.
    const { rows } = await admin.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname LIKE $1`,
      [`switchyard_test_${runId}_%`],
    )
    for (const row of rows) await admin.query(`DROP DATABASE IF EXISTS "${row.datname}" WITH (FORCE)`)
    await admin.end()
    let cursor = '0'
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${redisPrefix}*`, 'COUNT', 500)
      cursor = next
      if (keys.length > 0) await redis.del(...keys)
    } while (cursor !== '0')
    redis.disconnect()
  }
}
