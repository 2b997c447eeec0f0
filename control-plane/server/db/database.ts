import type { SwitchyardEnv } from '@switchyard/shared/env'
import { embeddedDatabaseUrl, portAnswers, startEmbeddedPostgres } from './embedded-postgres.ts'

// Where the control plane's database is: DATABASE_URL, or the embedded PostgreSQL in the data
// dir — reused when it already runs (e.g. the CLI next to `npm start`), else started by us.

export interface DatabaseHandle {
  url: string
  embedded: 'none' | 'started' | 'reused'
  /** Stops the embedded server if this process started it. */
  release(): Promise<void>
}

export async function acquireDatabase(
  env: SwitchyardEnv,
  dataDir: string,
  log?: (message: string) => void,
): Promise<DatabaseHandle> {
  if (env.DATABASE_URL) return { url: env.DATABASE_URL, embedded: 'none', release: async () => {} }
  if (await portAnswers(env.EMBEDDED_PG_PORT)) {
    return { url: embeddedDatabaseUrl({ dataDir, port: env.EMBEDDED_PG_PORT }), embedded: 'reused', release: async () => {} }
  }
  const server = await startEmbeddedPostgres({ dataDir, port: env.EMBEDDED_PG_PORT, ...(log ? { log } : {}) })
  return { url: server.databaseUrl, embedded: 'started', release: () => server.stop() }
}
