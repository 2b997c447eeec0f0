import { type Keyring, open, providerCredentialAad } from '@switchyard/shared/crypto'
import {
  type ConfigSnapshot,
  DEFAULT_BASE_URLS,
  type ProviderTimeouts,
  type ProviderType,
  type SnapshotProvider,
  type SnapshotVirtualKey,
} from '@switchyard/shared/snapshot'

// Wire config → runtime config, once per snapshot version: lookup maps keyed the way the hot
// path asks, credentials opened. The hot path never parses config JSON or decrypts.

export interface RuntimeKey {
  id: string
  teamId: string
  name: string
  /** Null = every model of the team. */
  allowedModels: { exact: Set<string>; connections: Set<string> } | null
  expiresAtMs: number | null
}

export interface RuntimeProvider {
  id: string
  teamId: string
  name: string
  type: ProviderType
  /** The SDK-style base URL (CONTRACT.md), or null when the type has no default and none is set. */
  baseUrl: string | null
  /** The opened credential: lives only in this process's memory. */
  apiKey: string
  settings: Record<string, unknown>
  timeouts: ProviderTimeouts
}

export interface RuntimeConfig {
  version: number
  keysByHash: Map<string, RuntimeKey>
  /** teamId → connection name → provider. */
  connections: Map<string, Map<string, RuntimeProvider>>
}

export interface CompileIssue {
  providerId: string
  teamId: string
  reason: string
}

function compileKey(key: SnapshotVirtualKey): RuntimeKey {
  let allowedModels: RuntimeKey['allowedModels'] = null
  if (key.allowedModels.length > 0) {
    allowedModels = { exact: new Set(), connections: new Set() }
    for (const entry of key.allowedModels) {
      if (entry.endsWith('/*')) allowedModels.connections.add(entry.slice(0, -2))
      else allowedModels.exact.add(entry)
    }
  }
  return {
    id: key.id,
    teamId: key.teamId,
    name: key.name,
    allowedModels,
    expiresAtMs: key.expiresAt === null ? null : Date.parse(key.expiresAt),
  }
}

function compileProvider(provider: SnapshotProvider, keyring: Keyring): RuntimeProvider {
  return {
    id: provider.id,
    teamId: provider.teamId,
    name: provider.name,
    type: provider.type,
    baseUrl: provider.baseUrl ?? DEFAULT_BASE_URLS[provider.type],
    apiKey: open(provider.credential, keyring, providerCredentialAad(provider.teamId, provider.id)),
    settings: provider.settings,
    timeouts: provider.timeouts,
  }
}

/** A provider whose credential does not open is left out (and reported); the rest still serves. */
export function compileSnapshot(snapshot: ConfigSnapshot, keyring: Keyring): { runtime: RuntimeConfig; issues: CompileIssue[] } {
  const keysByHash = new Map<string, RuntimeKey>()
  for (const key of snapshot.virtualKeys) keysByHash.set(key.keyHash, compileKey(key))

  const connections = new Map<string, Map<string, RuntimeProvider>>()
  const issues: CompileIssue[] = []
  for (const provider of snapshot.providers) {
    let compiled: RuntimeProvider
    try {
      compiled = compileProvider(provider, keyring)
    } catch (err) {
      issues.push({ providerId: provider.id, teamId: provider.teamId, reason: err instanceof Error ? err.message : 'unknown error' })
      continue
    }
    let team = connections.get(provider.teamId)
    if (!team) connections.set(provider.teamId, (team = new Map()))
    team.set(provider.name, compiled)
  }
  return { runtime: { version: snapshot.version, keysByHash, connections }, issues }
}
