import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildKeyring, generateMasterKeyBase64, type Keyring, providerCredentialAad, seal } from '@switchyard/shared/crypto'
import { parseSwitchyardEnv, type SwitchyardEnv } from '@switchyard/shared/env'
import { RequestLogEvent } from '@switchyard/shared/events'
import { createMemoryInfra, type Infra } from '@switchyard/shared/infra'
import { generateVirtualKey, hashVirtualKey } from '@switchyard/shared/keys'
import type { ConfigSnapshotInput, ProviderType } from '@switchyard/shared/snapshot'
import { type FakeProviders, startFakeProviders } from '../../../test/fake-providers/server.ts'
import { buildDataPlane, type DataPlane } from '../index.ts'

// Test fixture: a data plane on a real port in front of the real fake provider, configured by
// a snapshot built here and published through the (memory, unless given) infra.

export const TEAM_ID = 'team_1'
export const PROVIDER_KEY = 'sk-fake-upstream-secret'

export interface SnapshotParts {
  version: number
  keys?: { id: string; key: string; allowedModels?: string[]; expiresAt?: string | null }[]
  providers?: {
    id: string
    name: string
    type?: ProviderType
    baseUrl: string | null
    teamId?: string
    settings?: Record<string, unknown>
    timeouts?: { connectMs?: number; firstByteMs?: number; idleMs?: number; totalMs?: number }
  }[]
}

export function buildTestSnapshot(parts: SnapshotParts, keyring: Keyring): ConfigSnapshotInput {
  return {
    schemaVersion: 1,
    version: parts.version,
    publishedAt: new Date().toISOString(),
    teams: [{ id: TEAM_ID, slug: 'acme' }],
    virtualKeys: (parts.keys ?? []).map((k) => ({
      id: k.id,
      teamId: TEAM_ID,
      name: k.id,
      keyHash: hashVirtualKey(k.key),
      allowedModels: k.allowedModels ?? [],
      expiresAt: k.expiresAt ?? null,
    })),
    providers: (parts.providers ?? []).map((p) => {
      const teamId = p.teamId ?? TEAM_ID
      return {
        id: p.id,
        teamId,
        name: p.name,
        type: p.type ?? 'openai',
        baseUrl: p.baseUrl,
        ...(p.timeouts ? { timeouts: p.timeouts } : {}),
        ...(p.settings ? { settings: p.settings } : {}),
        credential: seal(PROVIDER_KEY, keyring, providerCredentialAad(teamId, p.id)),
      }
    }),
  }
}

export interface Gateway {
  url: string
  dataPlane: DataPlane
  fake: FakeProviders
  infra: Infra
  keyring: Keyring
  dataDir: string
  key: string
  /** Publishes a snapshot and waits until the data plane serves its version. */
  publish(parts: SnapshotParts): Promise<void>
  defaultParts(version: number): SnapshotParts
  /** Request log events appended so far (reads the log stream as a consumer would). */
  logEvents(): Promise<RequestLogEvent[]>
  close(): Promise<void>
}

export function testEnv(overrides: Partial<SwitchyardEnv> = {}): SwitchyardEnv {
  return { ...parseSwitchyardEnv({ NODE_ENV: 'test' }), DATA_PLANE_PORT: 0, ...overrides }
}

export async function startGateway(
  options: { env?: Partial<SwitchyardEnv>; infra?: Infra; keyring?: Keyring; dataDir?: string; publish?: boolean; requestTimeoutMs?: number; streamKeepAliveMs?: number } = {},
): Promise<Gateway> {
  const keyring = options.keyring ?? buildKeyring(generateMasterKeyBase64())
  const infra = options.infra ?? createMemoryInfra()
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'sy-dp-')))
  const fake = await startFakeProviders()
  const key = generateVirtualKey()
  const defaultParts = (version: number): SnapshotParts => ({
    version,
    keys: [{ id: 'vk_1', key }],
    providers: [
      { id: 'prov_1', name: 'fake', baseUrl: fake.openaiBaseUrl },
      { id: 'prov_2', name: 'anthropic', type: 'anthropic', baseUrl: fake.anthropicBaseUrl },
    ],
  })
  if (options.publish !== false) await infra.snapshots.publish(1, JSON.stringify(buildTestSnapshot(defaultParts(1), keyring)))
    const keepAlive = options.streamKeepAliveMs === undefined ? {} : { streamKeepAliveMs: options.streamKeepAliveMs }
    const dataPlane = await buildDataPlane({ env: testEnv(options.env), infra, keyring, dataDir, pollIntervalMs: 100, requestTimeoutMs: options.requestTimeoutMs, ...keepAlive })
  const url = await dataPlane.listen()
  const events: RequestLogEvent[] = []
  return {
    url,
    dataPlane,
    fake,
    infra,
    keyring,
    dataDir,
    key,
    defaultParts,
    async publish(parts) {
      await infra.snapshots.publish(parts.version, JSON.stringify(buildTestSnapshot(parts, keyring)))
      const deadline = Date.now() + 2_000
      while ((dataPlane.app.snapshots.runtime?.version ?? 0) < parts.version && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 10))
      }
    },
    async logEvents() {
      const entries = await infra.logs.read({ consumer: 'test', count: 1000, blockMs: 0, claimIdleMs: 60_000 })
      // Acked, or a test running past claimIdleMs would get its own unacked entries back (XAUTOCLAIM).
      await infra.logs.ack(entries.map((e) => e.id))
      events.push(...entries.map((e) => RequestLogEvent.parse(JSON.parse(e.payload))))
      return events
    },
    async close() {
      await dataPlane.close()
      await fake.close()
      if (!options.infra) await infra.close()
      if (!options.dataDir) await rm(dataDir, { recursive: true, force: true })
    },
  }
}

/** Waits until `count` log events exist (they are flushed asynchronously after the response). */
/**
 * The log event of one request, by its x-request-id. Prefer this to counting events: an
 * earlier test's event can land late (events are emitted after the response) and be miscounted.
 */
export async function logEventFor(gateway: Gateway, requestId: string | null, timeoutMs = 2_000): Promise<RequestLogEvent> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const event = (await gateway.logEvents()).find((e) => e.requestId === requestId)
    if (event) return event
    if (Date.now() > deadline) throw new Error(`no log event for request ${requestId} within ${timeoutMs} ms`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

export async function waitForLogEvents(gateway: Gateway, count: number, timeoutMs = 2_000): Promise<RequestLogEvent[]> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const events = await gateway.logEvents()
    if (events.length >= count || Date.now() > deadline) return events
    await new Promise((r) => setTimeout(r, 20))
  }
}

interface PostInit {
  /** The virtual key to send (default: the fixture's; null: none). */
  key?: string | null
  headers?: Record<string, string>
  signal?: AbortSignal
}

function post(url: string, body: unknown, headers: Record<string, string>, signal: AbortSignal | undefined) {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    signal,
  })
}

/** POST /v1/chat/completions as the OpenAI SDK sends it (`Authorization: Bearer`). */
export function chat(gateway: Gateway, body: unknown, init: PostInit = {}) {
  const key = init.key === undefined ? gateway.key : init.key
  const auth: Record<string, string> = key === null ? {} : { authorization: `Bearer ${key}` }
  return post(`${gateway.url}/v1/chat/completions`, body, { ...auth, ...init.headers }, init.signal)
}

/** POST /v1/messages as the Anthropic SDK sends it (`x-api-key`, `anthropic-version`). */
export function messages(gateway: Gateway, body: unknown, init: PostInit = {}) {
  const key = init.key === undefined ? gateway.key : init.key
  const auth: Record<string, string> = key === null ? {} : { 'x-api-key': key }
  return post(`${gateway.url}/v1/messages`, body, { ...auth, 'anthropic-version': '2023-06-01', ...init.headers }, init.signal)
}
