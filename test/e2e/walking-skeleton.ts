import OpenAI from 'openai'
import { expect } from 'vitest'
import type { startFakeProviders } from '../fake-providers/server.ts'
import { adminApi } from '../support/admin-api.ts'
import { runCli } from '../support/processes.ts'

// The foundation issue's "done when" flow, shared by the one-process and the Redis-mode tests:
// bootstrap with the CLI → provider + virtual key through the admin API → the official openai
// SDK gets a completion through the data plane, streamed and not → the requests show in the logs.

export type FakeProviders = Awaited<ReturnType<typeof startFakeProviders>>

export interface SkeletonContext {
  admin: ReturnType<typeof adminApi>
  adminToken: string
  providerKey: string
  virtualKey: string
  virtualKeyId: string
  client: OpenAI
}

export function canary(label: string): string {
  return `sk-canary-${label}-${Math.random().toString(36).slice(2, 14)}`
}

/** Waits until the data plane accepts the key (the snapshot with it has arrived). */
export async function untilKeyIsLive(dataUrl: string, key: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    const res = await fetch(`${dataUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: '{}',
    })
    await res.arrayBuffer()
    if (res.status !== 401) return
    await new Promise((r) => setTimeout(r, 25))
  }
  throw new Error('virtual key never became live on the data plane')
}

export async function bootstrapAndConnect(options: {
  controlUrl: string
  dataUrl: string
  cliEnv: Record<string, string | undefined>
  fake: FakeProviders
  email: string
}): Promise<SkeletonContext> {
  const boot = await runCli(['bootstrap', '--email', options.email, '--password', 'correct horse battery staple', '--team', 'Acme'], options.cliEnv)
  expect(boot.code, boot.stderr).toBe(0)
  const { adminToken, userId, teamId } = boot.json as Record<string, string>
  expect(userId).toMatch(/^user_/)
  expect(teamId).toMatch(/^team_/)
  expect(adminToken).toBeTruthy()

  const admin = adminApi(options.controlUrl, adminToken!)
  const providerKey = canary('provider')
  const provider = await admin.post('/providers', {
    name: 'fake-openai',
    type: 'openai',
    apiKey: providerKey,
    baseUrl: options.fake.openaiBaseUrl,
  })
  expect(provider.status, provider.text).toBe(201)
  expect(provider.json).toMatchObject({ name: 'fake-openai', type: 'openai', keyHint: providerKey.slice(-4) })
  expect(provider.text).not.toContain(providerKey)

  const created = await admin.post('/virtual-keys', { name: 'e2e app' })
  expect(created.status, created.text).toBe(201)
  const virtualKey = created.json?.key as string
  expect(virtualKey).toMatch(/^sy-[A-Za-z0-9]{38}$/)

  await untilKeyIsLive(options.dataUrl, virtualKey)
  const client = new OpenAI({ baseURL: `${options.dataUrl}/v1`, apiKey: virtualKey, maxRetries: 0 })
  return { admin, adminToken: adminToken!, providerKey, virtualKey, virtualKeyId: created.json?.id as string, client }
}

export async function completeStreamedAndNot(ctx: SkeletonContext, fake: FakeProviders): Promise<void> {
  const before = fake.requests.length
  const completion = await ctx.client.chat.completions.create({
    model: 'fake-openai/gpt-4o-mini',
    messages: [{ role: 'user', content: 'Say hello to the walking skeleton' }],
  })
  expect(completion.choices[0]?.message.role).toBe('assistant')
  expect(completion.choices[0]?.message.content).toContain('walking skeleton')
  expect(completion.model).toContain('gpt-4o-mini')
  expect(completion.usage?.prompt_tokens).toBeGreaterThan(0)
  expect(completion.usage?.completion_tokens).toBeGreaterThan(0)

  // What reached the provider: its own key (from the vault), the upstream model id.
  const upstream = fake.requests[before]
  expect(upstream?.headers.authorization).toBe(`Bearer ${ctx.providerKey}`)
  expect(JSON.parse(upstream?.body ?? '{}')).toMatchObject({ model: 'gpt-4o-mini' })

  const stream = await ctx.client.chat.completions.create({
    model: 'fake-openai/gpt-4o-mini',
    messages: [{ role: 'user', content: 'Stream the walking skeleton' }],
    stream: true,
  })
  let text = ''
  let firstRole: string | undefined
  let finish: string | null | undefined
  let chunks = 0
  for await (const chunk of stream) {
    chunks++
    firstRole ??= chunk.choices[0]?.delta.role
    text += chunk.choices[0]?.delta.content ?? ''
    finish = chunk.choices[0]?.finish_reason ?? finish
    // The client did not ask for usage: the gateway asked upstream and removed the usage chunk.
    expect(chunk.choices.length).toBeGreaterThan(0)
  }
  expect(chunks).toBeGreaterThan(2)
  expect(firstRole).toBe('assistant')
  expect(text).toContain('walking skeleton')
  expect(finish).toBe('stop')

  const withUsage = await ctx.client.chat.completions.create({
    model: 'fake-openai/gpt-4o-mini',
    messages: [{ role: 'user', content: 'Stream with usage' }],
    stream: true,
    stream_options: { include_usage: true },
  })
  let usage: OpenAI.CompletionUsage | null | undefined
  for await (const chunk of withUsage) usage = chunk.usage ?? usage
  expect(usage?.completion_tokens).toBeGreaterThan(0)
}

interface LogItem {
  requestId: string
  provider: string | null
  model: string | null
  stream: boolean
  status: number
  outcome: string
  promptTokens: number | null
  completionTokens: number | null
  virtualKeyId: string | null
}

/** Polls the logs API until `count` successful requests are there; returns all and how long it took. */
export async function waitForLogs(ctx: SkeletonContext, count: number, timeoutMs = 2000): Promise<{ items: LogItem[]; ms: number }> {
  const started = Date.now()
  let items: LogItem[] = []
  while (Date.now() - started < timeoutMs) {
    const res = await ctx.admin.get('/logs?limit=200')
    expect(res.status).toBe(200)
    items = (res.json?.data ?? []) as LogItem[]
    if (items.filter((i) => i.status === 200).length >= count) return { items, ms: Date.now() - started }
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error(`only ${items.length} requests (wanted ${count} successful) reached /api/v1/logs within ${timeoutMs} ms`)
}

export function expectLoggedCompletions(items: LogItem[], virtualKeyId: string): void {
  const ok = items.filter((i) => i.status === 200)
  expect(ok.length).toBeGreaterThanOrEqual(3)
  for (const item of ok) {
    expect(item).toMatchObject({ provider: 'fake-openai', outcome: 'success', virtualKeyId })
    expect(item.promptTokens).toBeGreaterThan(0)
    expect(item.completionTokens).toBeGreaterThan(0)
  }
  expect(ok.filter((i) => i.stream)).toHaveLength(2)
}
