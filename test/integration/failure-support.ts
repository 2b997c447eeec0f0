import { providerCredentialAad, seal } from '@switchyard/shared/crypto'
import type { RequestLogEvent } from '@switchyard/shared/events'
import { HEADERS } from '@switchyard/shared/headers'
import { expect } from 'vitest'
import { buildTestSnapshot, chat, type Gateway, messages, type SnapshotParts } from '../../data-plane/src/testing/gateway-fixture.ts'
import { FAKE_AWS_CREDENTIALS } from '../fake-providers/bedrock.ts'

// What the failure-mode, timeout and disconnect tests share: a snapshot with every provider type
// the fakes serve (with the given per-connection timeouts), one chat request in either family,
// and the log event of a response.

export type Family = 'openai' | 'anthropic'
type Timeouts = NonNullable<SnapshotParts['providers']>[number]['timeouts']

/** Every provider type the fakes serve; Bedrock's credential is AWS keys as JSON. */
export async function publishAllProviders(gw: Gateway, version: number, timeouts: Timeouts = {}, extra: SnapshotParts['providers'] = []): Promise<void> {
  const parts = gw.defaultParts(version)
  const base = (parts.providers ?? []).map((p) => ({ ...p, timeouts }))
  parts.providers = [
    ...base,
    { id: 'prov_azure', name: 'azure', type: 'azure-openai', baseUrl: gw.fake.azureBaseUrl, settings: { apiVersion: '2024-10-21' }, timeouts },
    { id: 'prov_google', name: 'google', type: 'google', baseUrl: gw.fake.googleBaseUrl, timeouts },
    { id: 'prov_bedrock', name: 'bedrock', type: 'bedrock', baseUrl: gw.fake.bedrockBaseUrl, settings: { region: 'us-east-1' }, timeouts },
    ...extra,
  ]
  const snapshot = buildTestSnapshot(parts, gw.keyring)
  snapshot.providers = snapshot.providers.map((p) =>
    p.type === 'bedrock' ? { ...p, credential: seal(JSON.stringify(FAKE_AWS_CREDENTIALS), gw.keyring, providerCredentialAad(p.teamId, p.id)) } : p,
  )
  await gw.infra.snapshots.publish(version, JSON.stringify(snapshot))
  const deadline = Date.now() + 2_000
  while ((gw.dataPlane.app.snapshots.runtime?.version ?? 0) < version && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10))
}

/** One chat request in the client's family (OpenAI chat completions or Anthropic messages). */
export function ask(gw: Gateway, family: Family, model: string, init: { stream?: boolean; signal?: AbortSignal } = {}): Promise<Response> {
  const body = { model, messages: [{ role: 'user', content: 'Hello failure modes' }], stream: init.stream ?? false }
  const usage = init.stream ? { stream_options: { include_usage: true } } : {}
  return family === 'openai' ? chat(gw, { ...body, ...usage }, { signal: init.signal }) : messages(gw, { ...body, max_tokens: 64 }, { signal: init.signal })
}

/** The terminal in-band error event a stream must end with, per client family, for a Switchyard error code. */
export function expectTerminalError(family: Family, text: string, code: { openai: string; anthropic: string }): void {
  const last = text.split('\n\n').filter(Boolean).at(-1) ?? ''
  if (family === 'openai') expect(JSON.parse(last.replace(/^data: /, ''))).toMatchObject({ error: { type: 'server_error', code: code.openai } })
  else {
    expect(last.startsWith('event: error\ndata: ')).toBe(true)
    expect(JSON.parse(last.slice('event: error\ndata: '.length))).toMatchObject({ type: 'error', error: { type: code.anthropic } })
  }
}

/** The log event of one request (events are flushed after the response). */
export async function logOf(gw: Gateway, response: Response): Promise<RequestLogEvent> {
  const requestId = response.headers.get(HEADERS.requestId)
  let found: RequestLogEvent | undefined
  await expect.poll(async () => (found = (await gw.logEvents()).find((e) => e.requestId === requestId)), { timeout: 3_000 }).toBeDefined()
  if (!found) throw new Error(`no log event for ${requestId}`)
  return found
}

