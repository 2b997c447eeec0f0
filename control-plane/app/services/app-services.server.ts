import type { Keyring } from '@switchyard/shared/crypto'
import type { Infra } from '@switchyard/shared/infra'
import { SnapshotHeader } from '@switchyard/shared/snapshot'
import type { Db } from '../lib/db.server.ts'
import { countProviderConnections } from '../models/provider-connection.server.ts'
import { countTeams } from '../models/team.server.ts'
import { countLiveVirtualKeys } from '../models/virtual-key.server.ts'
import { type ConsoleConfig, defaultConsoleConfig } from './auth-config.server.ts'
import { createMailer, type Mailer } from './email.server.ts'
import { createOutbound, type Outbound } from './outbound.server.ts'
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
  /** The SSRF-guarded client for the control plane's own outbound calls ("test connection"). */
  outbound: Outbound
  /** The console's settings: cookie mode, public URL, SMTP. */
  config: ConsoleConfig
  /** Outgoing email: SMTP, or the in-memory outbox when SMTP_URL is unset. */
  mailer: Mailer
  status(): Promise<StatusSummary>
}

export interface AppServicesDeps {
  db: Db
  infra: Infra
  keyring: Keyring
  /** SWITCHYARD_ALLOW_PRIVATE_UPSTREAMS as parsed (env.allowPrivateUpstreams). */
  allowPrivateUpstreams: string
  /** From server/env.ts loadConsoleConfig(); development defaults when omitted (tests). */
  config?: ConsoleConfig
  /** Where the outbox mailer prints emails; stderr by default. */
  log?: (line: string) => void
}

export function createAppServices({ allowPrivateUpstreams, config = defaultConsoleConfig(), log, ...deps }: AppServicesDeps): AppServices {
  const publisher = createSnapshotPublisher(deps)
  const mailLog = log ?? ((line: string) => process.stderr.write(`${line}\n`))
  return {
    ...deps,
    publisher,
    config,
    mailer: createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom, log: mailLog, production: config.production }),
    outbound: createOutbound({ allowPrivateUpstreams }),
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
