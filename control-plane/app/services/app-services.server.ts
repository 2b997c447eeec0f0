import type { Keyring } from '@switchyard/shared/crypto'
import type { Infra } from '@switchyard/shared/infra'
import { SnapshotHeader } from '@switchyard/shared/snapshot'
import type { Db } from '../lib/db.server.ts'
import { countProviderConnections } from '../models/provider-connection.server.ts'
import { countTeams } from '../models/team.server.ts'
import { countLiveVirtualKeys } from '../models/virtual-key.server.ts'
import { createSnapshotPublisher, type SnapshotPublisher } from './snapshot.server.ts'

// What a process hands to its HTTP layers (admin API, Remix load context). Created once by the
// entry point: route modules never construct their own database or infra clients.

export interface StatusSummary {
  snapshotVersion: number | null
  teams: number
  providers: number
  virtualKeys: number
  infra: Infra['kind']
}

export interface AppServices {
  db: Db
  infra: Infra
  keyring: Keyring
  publisher: SnapshotPublisher
  status(): Promise<StatusSummary>
}

export function createAppServices(deps: { db: Db; infra: Infra; keyring: Keyring }): AppServices {
  const publisher = createSnapshotPublisher(deps)
  return {
    ...deps,
    publisher,
    async status() {
      const [latest, teams, providers, virtualKeys] = await Promise.all([
        deps.infra.snapshots.getLatest(),
        countTeams(deps.db),
        countProviderConnections(deps.db),
        countLiveVirtualKeys(deps.db),
      ])
      const header = latest ? SnapshotHeader.safeParse(JSON.parse(latest)) : null
      return {
        snapshotVersion: header?.success ? header.data.version : null,
        teams,
        providers,
        virtualKeys,
        infra: deps.infra.kind,
      }
    },
  }
}
