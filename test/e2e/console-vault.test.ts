import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import OpenAI from 'openai'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type FakeProviders, startFakeProviders } from '../fake-providers/server.ts'
import { waitForReady } from '../support/admin-api.ts'
import { launchBrowser, newContext, screenshot, signUpInBrowser } from '../support/browser.ts'
import { createTestDatabase } from '../support/databases.ts'
import { freePort } from '../support/ports.ts'
import { type RunningProcess, startTs } from '../support/processes.ts'

// Console issue, the main journey in a real browser: sign up → add a provider connection that
// points at the fake provider → test it → create a virtual key (shown once) → the openai SDK
// calls the data plane with it → the request shows on the logs page → revoke it in the console →
// the next call is refused (401).
// The embedded default (REDIS_URL unset) as `npm start` runs it: the control plane and its data-plane child.

const PASSWORD = 'correct horse battery staple'
const PROVIDER_KEY = `sk-fake-vault-${randomBytes(6).toString('hex')}`

async function until<T>(what: string, attempt: () => Promise<T | null>, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await attempt()
    if (value !== null) return value
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

describe('console: provider vault and virtual keys, end to end', () => {
  let browser: Browser
  let fake: FakeProviders
  let switchyard: RunningProcess
  let dataDir: string
  let controlUrl: string
  let dataUrl: string
  let page: Page
  let base: string
  let ask: () => Promise<OpenAI.Chat.Completions.ChatCompletion>

  beforeAll(async () => {
    fake = await startFakeProviders()
    dataDir = mkdtempSync(join(tmpdir(), 'sy-vault-'))
    const [cp, dp] = [await freePort(), await freePort()]
    controlUrl = `http://127.0.0.1:${cp}`
    dataUrl = `http://127.0.0.1:${dp}`
    switchyard = startTs('control-plane/server/main.ts', ['embedded'], {
      DATABASE_URL: await createTestDatabase('console_vault'),
      CONTROL_PLANE_PORT: String(cp),
      DATA_PLANE_PORT: String(dp),
      SWITCHYARD_DATA_DIR: dataDir,
    })
    await switchyard.waitFor(/data plane listening/)
    await Promise.all([waitForReady(controlUrl), waitForReady(dataUrl)])
    browser = await launchBrowser()
    const context = await newContext(browser)
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: controlUrl })
    page = await context.newPage()
  })

  afterAll(async () => {
    await browser?.close()
    await switchyard?.stop()
    await fake?.close()
    if (dataDir) rmSync(dataDir, { recursive: true, force: true })
  })

  it('signs up, adds an OpenAI-compatible connection to the fake provider and tests it', async () => {
    await signUpInBrowser(page, {
      base: controlUrl,
      output: () => switchyard.output(),
      email: `vault-${randomBytes(4).toString('hex')}@example.test`,
      name: 'Vera Vault',
      team: 'Vault Team',
      password: PASSWORD,
    })
    base = page.url()

    // Providers: the empty state, then the add form for an OpenAI-compatible endpoint.
    await page.getByRole('navigation', { name: 'Team' }).getByRole('link', { name: 'Providers' }).click()
    await page.getByText('Add your first provider connection').waitFor()
    await page.getByLabel('Provider').selectOption('openai-compatible')
    await page.getByLabel('Connection name').fill('fake-openai')
    const keyInput = page.getByLabel('API key')
    expect(await keyInput.getAttribute('type')).toBe('password')
    expect(await keyInput.getAttribute('autocomplete')).toBe('off')
    await keyInput.fill(PROVIDER_KEY)
    await page.getByLabel('Base URL').fill(fake.openaiBaseUrl)
    await screenshot(page, 'providers-add')
    await page.getByRole('button', { name: 'Add connection' }).click()
    await page.waitForURL(/\/providers\/[^/]+$/)
    await page.getByTestId('toast').filter({ hasText: 'Connection "fake-openai" added' }).waitFor()
    await page.getByRole('button', { name: 'Test connection' }).click()
    await page.getByRole('status').filter({ hasText: 'Connected' }).waitFor()
    await screenshot(page, 'provider-detail')
    expect(await page.content()).not.toContain(PROVIDER_KEY)

    await page.goto(`${base}/providers`)
    await page.getByRole('cell', { name: `••••${PROVIDER_KEY.slice(-4)}` }).waitFor()
    await screenshot(page, 'providers')

  })

  it('creates a virtual key, copied from the page once, and the openai SDK gets a completion with it', async () => {
    await page.goto(`${base}/virtual-keys`)
    await page.getByText('fake-openai/*').first().waitFor()
    await page.getByLabel('Name').fill('checkout')
    await page.getByLabel('Allowed models').fill('fake-openai/*')
    await page.getByRole('button', { name: 'Create key' }).click()
    await page.getByText('Copy this key now.').waitFor()
    await page.getByRole('button', { name: 'Copy' }).click()
    await page.getByRole('button', { name: 'Copied' }).waitFor()
    const key = String(await page.evaluate('navigator.clipboard.readText()'))
    expect(key).toMatch(/^sy-[A-Za-z0-9]{38}$/)
    expect(await page.getByLabel('New virtual key').textContent()).toBe(key)
    await screenshot(page, 'virtual-keys-created')

    // The data plane serves it (once the published snapshot has arrived).
    const client = new OpenAI({ baseURL: `${dataUrl}/v1`, apiKey: key, maxRetries: 0 })
    ask = () => client.chat.completions.create({ model: 'fake-openai/gpt-4o-mini', messages: [{ role: 'user', content: 'Hello' }] })
    const completion = await until('a completion with the new key', () => ask().catch(() => null))
    expect(completion.choices[0]?.message.content).toBeTruthy()
    expect(fake.requests.some((r) => r.headers.authorization === `Bearer ${PROVIDER_KEY}`)).toBe(true)

    await page.reload()
    expect(await page.getByText('Copy this key now.').count()).toBe(0)
  })

  it('shows that request on the console\'s logs page', async () => {
    await page.goto(`${base}/logs`)
    // The logs page refreshes itself; the row arrives through the log stream and the ingester.
    const row = page.getByTestId('log-row').filter({ hasText: 'gpt-4o-mini' }).filter({ hasText: 'checkout' }).first()
    await row.waitFor({ timeout: 15_000 })
    expect(await row.textContent()).toContain('200')
    await screenshot(page, 'logs-after-first-call')
  })

  it('revokes the key in the console, and the next SDK call is refused with 401', async () => {
    await page.goto(`${base}/virtual-keys`)
    await page.getByRole('link', { name: 'checkout' }).click()
    await page.waitForURL(/\/virtual-keys\/[^/]+$/)
    await screenshot(page, 'virtual-key-detail')
    await page.locator('summary', { hasText: 'Revoke this key' }).click()
    await page.getByRole('button', { name: 'Revoke key', exact: true }).click()
    await page.getByTestId('toast').filter({ hasText: 'revoked' }).waitFor()
    await page.getByText('No virtual keys yet').waitFor()
    await screenshot(page, 'virtual-keys')

    const status = await until('401 after revoking', () =>
      ask().then(
        () => null,
        (err: { status?: number }) => (err.status === 401 ? err.status : null),
      ),
    )
    expect(status).toBe(401)
  })

  it('lets the owner mint an API token, shown once', async () => {
    await page.getByRole('navigation', { name: 'Team' }).getByRole('link', { name: 'API tokens' }).click()
    await page.getByText('No API tokens yet').waitFor()
    await page.getByLabel('Name').fill('ci-deploy')
    await page.getByLabel('Role').selectOption('admin')
    await page.getByRole('button', { name: 'Create token' }).click()
    await page.getByText('Copy this token now.').waitFor()
    const token = (await page.getByLabel('New API token').textContent()) ?? ''
    const res = await fetch(`${controlUrl}/api/v1/providers`, { headers: { authorization: `Bearer ${token}` } })
    expect(res.status).toBe(200)
    await screenshot(page, 'api-tokens')

    // Revoking: the row goes at once (the POST is held back to prove it), and stays gone.
    let release = () => {}
    const held = new Promise<void>((r) => (release = r))
    await page.route('**/api-tokens*', async (route) => {
      if (route.request().method() === 'POST') await held
      await route.continue()
    })
    await page.locator('summary', { hasText: 'Revoke' }).click()
    await page.getByRole('button', { name: 'Revoke token' }).click()
    await expect.poll(() => page.getByTestId('token-row').count()).toBe(0)
    await page.getByText('No API tokens yet').waitFor()
    release()
    await page.getByTestId('toast').filter({ hasText: 'Token revoked' }).waitFor()
    await page.unroute('**/api-tokens*')
    await page.reload()
    await page.getByText('No API tokens yet').waitFor()
    const after = await fetch(`${controlUrl}/api/v1/providers`, { headers: { authorization: `Bearer ${token}` } })
    expect(after.status).toBe(401)
  })
})
