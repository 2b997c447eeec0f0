import type { AppLoadContext } from '@remix-run/node'
import { toVirtualKeyResource } from '../api/routes/virtual-keys.server.ts'
import { listProviderConnections } from '../models/provider-connection.server.ts'
import type { VirtualKeyRow } from '../models/virtual-key.server.ts'
import type { TeamAuthed } from './auth.server.ts'
import { teamActor } from './console-actions.server.ts'
import { listMembers } from './members.server.ts'
import { virtualKeyStatus } from './virtual-key-forms.server.ts'

// What the virtual-key pages show: the admin API's resource (never the hash), plus its status
// and its owner's name, and the team's connection names for the allowed-models hint.

export interface OwnerNames {
  [userId: string]: string
}

export async function ownerNames(context: AppLoadContext, auth: TeamAuthed): Promise<OwnerNames> {
  const members = await listMembers(context.services, teamActor(auth), { limit: 200, cursor: null })
  return Object.fromEntries(members.data.map((m) => [m.userId, m.name || m.email]))
}

export async function connectionNames(context: AppLoadContext, teamId: string): Promise<string[]> {
  const rows = await listProviderConnections(context.services.db, teamId, { limit: 200, cursor: null })
  return rows.map((r) => r.name).sort()
}

export function toVirtualKeyView(row: VirtualKeyRow, owners: OwnerNames) {
  const { createdById: _createdBy, ...resource } = toVirtualKeyResource(row)
  return {
    ...resource,
    status: virtualKeyStatus(row),
    owner: row.ownerUserId ? (owners[row.ownerUserId] ?? 'A former member') : '—',
  }
}

export type VirtualKeyView = ReturnType<typeof toVirtualKeyView>
