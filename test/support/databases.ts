import pg from 'pg'
import { adminDatabaseUrl, testRunId } from './services.ts'

/** A fresh, empty database for one test file; the global teardown drops it. */
export async function createTestDatabase(suffix: string): Promise<string> {
  const name = `switchyard_test_${testRunId()}_${suffix}`
  const admin = new pg.Client({ connectionString: adminDatabaseUrl() })
  await admin.connect()
  try {
    await admin.query(`CREATE DATABASE "${name}"`)
  } finally {
    await admin.end()
  }
  const url = new URL(adminDatabaseUrl())
  url.pathname = `/${name}`
  return url.toString()
}

/** Every row of every table of the database as text, for canary searches. */
export async function dumpDatabase(databaseUrl: string): Promise<string> {
  const client = new pg.Client({ connectionString: databaseUrl })
  await client.connect()
  try {
    const { rows: tables } = await client.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
    )
    let dump = ''
    for (const { table_name } of tables) {
      const { rows } = await client.query(`SELECT row_to_json(t)::text AS j FROM "${table_name}" t`)
      for (const row of rows as { j: string }[]) dump += `${table_name}\t${row.j}\n`
    }
    return dump
  } finally {
    await client.end()
  }
}
