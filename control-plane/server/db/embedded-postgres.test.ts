import { mkdtempSync, rmSync } from 'node:fs'
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
afterAll(() => rmSync(dataDir, { recursive: true, force: true }))

describe('embedded PostgreSQL', () => {
  it('initialises, starts, migrates, answers queries and stops', async () => {
    const port = await freePort()
    const server = await startEmbeddedPostgres({ dataDir, port, log: () => {} })
    try {
      expect(server.databaseUrl).toContain(`:${port}/switchyard`)
      await migrate(server.databaseUrl)
      const client = new pg.Client({ connectionString: server.databaseUrl })
      await client.connect()
      try {
        expect(await isMigrated(client)).toBe(true)
        const { rows } = await client.query<{ n: string }>('SELECT count(*) AS n FROM teams')
        expect(rows[0]?.n).toBe('0')
      } finally {
        await client.end()
      }
    } finally {
      await server.stop()
    }
    expect(await portAnswers(port)).toBe(false)
  }, 60_000)
})
