import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { afterAll, describe, expect, it } from 'vitest'
import { isMigrated, migrate } from './migrate.ts'
import { portAnswers, startEmbeddedPostgres } from './embedded-postgres.ts'

async function freePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = createServer()
      server.once('error', reject)
      server.listen(0, '127.0.0.1', () => {
        const address = server.address()
        server.close(() => resolve(typeof address === 'object' && address ? address.port : 0))
      })
    })
    if (port !== 5432 && port !== 54329) return port
  }
}

const dataDir = mkdtempSync(join(tmpdir(), 'sy-embedded-pg-'))
// mkdtemp makes the directory 0700: a checkout under a private home directory, as root.
const privateHome = mkdtempSync(join(tmpdir(), 'sy-private-home-'))
const relocated: string[] = []
afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true })
  rmSync(privateHome, { recursive: true, force: true })
  for (const dir of relocated) rmSync(dir, { recursive: true, force: true })
})

async function expectServesQueries(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl })
  await client.connect()
  try {
    expect(await isMigrated(client)).toBe(true)
    const { rows } = await client.query<{ n: string }>('SELECT count(*) AS n FROM teams')
    expect(rows[0]?.n).toBe('0')
  } finally {
    await client.end()
  }
}

describe('embedded PostgreSQL', () => {
  it('initialises, starts, migrates, answers queries and stops', async () => {
    const port = await freePort()
    const server = await startEmbeddedPostgres({ dataDir, port, log: () => {} })
    try {
      expect(server.databaseUrl).toContain(`:${port}/switchyard`)
      await migrate(server.databaseUrl)
      await expectServesQueries(server.databaseUrl)
    } finally {
      await server.stop()
    }
    expect(await portAnswers(port)).toBe(false)
  }, 60_000)

  it('works from a data dir the postgres user cannot reach (a checkout under a 0700 home, as root)', async () => {
    const port = await freePort()
    const nested = join(privateHome, 'checkout', '.switchyard')
    mkdirSync(nested, { recursive: true })
    const server = await startEmbeddedPostgres({ dataDir: nested, port, log: () => {} })
    const note = join(nested, 'pg-location')
    if (existsSync(note)) relocated.push(readFileSync(note, 'utf8').trim())
    try {
      await migrate(server.databaseUrl)
      await expectServesQueries(server.databaseUrl)
    } finally {
      await server.stop()
    }
    expect(await portAnswers(port)).toBe(false)
    // Started again, it finds the same cluster (the data survived the restart).
    const again = await startEmbeddedPostgres({ dataDir: nested, port, log: () => {} })
    try {
      await expectServesQueries(again.databaseUrl)
    } finally {
      await again.stop()
    }
  }, 60_000)
})
