import { buildKeyring, generateMasterKeyBase64 } from '@switchyard/shared/crypto'
import { createMemoryInfra } from '@switchyard/shared/infra'
import { createDb, type Db } from '@switchyard/control-plane/lib/db.server'
import { type AppServices, createAppServices } from '@switchyard/control-plane/services/app-services.server'
import { type ConsoleServer, startConsole } from './browser.ts'

// A running control plane plus app services in the test's process over the same database and
// master key, for tests that seed teams, members and connections directly (as
// buildAuthorizationWorld does) and then drive the server over HTTP: what the services seal,
// the server opens.

export interface ConsoleWithServices {
  server: ConsoleServer
  db: Db
  services: AppServices
  stop(): Promise<void>
}

export async function startConsoleWithServices(label: string): Promise<ConsoleWithServices> {
  const masterKey = generateMasterKeyBase64()
  const server = await startConsole(label, { SWITCHYARD_MASTER_KEY: masterKey })
  const db = createDb(server.databaseUrl)
  const services = createAppServices({ db, infra: createMemoryInfra(), keyring: buildKeyring(masterKey), allowPrivateUpstreams: 'loopback', log: () => {} })
  return {
    server,
    db,
    services,
    async stop() {
      await db.$disconnect()
      await server.stop()
    },
  }
}
