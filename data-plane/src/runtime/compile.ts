import type { AwsCredentials } from '@switchyard/shared/aws'
import { type Keyring, open, providerCredentialAad } from '@switchyard/shared/crypto'
import {
  type ConfigSnapshot,
  DEFAULT_BASE_URLS,
  type ProviderTimeouts,
  type ProviderType,
  type SnapshotProvider,
  type SnapshotVirtualKey,
} from '@switchyard/shared/snapshot'
import { z } from 'zod'

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
  /** `bedrock` only: the credential parsed as AWS credentials (JSON `{accessKeyId, secretAccessKey, sessionToken?}`). */
  aws?: AwsCredentials
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

const AwsCredentialJson = z.object({ accessKeyId: z.string().min(1), secretAccessKey: z.string().min(1), sessionToken: z.string().min(1).optional() })

/** A bedrock credential that is not the documented JSON fails the provider's compile (reported, not served). */
function awsCredentials(credential: string): AwsCredentials {
  let json: unknown
  try {
    json = JSON.parse(credential)
  } catch {
    json = null
  }
  const parsed = AwsCredentialJson.safeParse(json)
  if (!parsed.success) throw new Error('bedrock credential is not JSON {accessKeyId, secretAccessKey, sessionToken?}')
  return parsed.data
}

function compileProvider(provider: SnapshotProvider, keyring: Keyring): RuntimeProvider {
  const apiKey = open(provider.credential, keyring, providerCredentialAad(provider.teamId, provider.id))
  return {
    id: provider.id,
    teamId: provider.teamId,
    name: provider.name,
    type: provider.type,
    baseUrl: provider.baseUrl ?? DEFAULT_BASE_URLS[provider.type],
    apiKey,
    ...(provider.type === 'bedrock' ? { aws: awsCredentials(apiKey) } : {}),
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
