import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startFakeProviders } from '../fake-providers/server.ts'
import { waitForReady } from '../support/admin-api.ts'
import { awaitEmailLink, launchBrowser, newContext, screenshot } from '../support/browser.ts'
import { createTestDatabase } from '../support/databases.ts'
import { freePort } from '../support/ports.ts'
import { type RunningProcess, startTs } from '../support/processes.ts'
import { bootstrapAndConnect, type FakeProviders, type SkeletonContext } from './walking-skeleton.ts'

// Console issue, request logs: two calls through the data plane with the openai SDK show up on
// the logs page by themselves (auto-refresh), the status filter narrows them, and the detail
// page shows the tokens. Plus the other team pages of the same area (members, audit, settings,
// a new team's first-call empty state), screenshotted.

const PASSWORD = 'correct horse battery staple'

describe('request logs in the console', () => {
  let fake: FakeProviders
  let switchyard: RunningProcess
  let browser: Browser
  let page: Page
  let ctx: SkeletonContext
  let controlUrl: string
  let dataPort: number
  let dataDir: string
  const email = `logs-${Date.now()}@example.com`

  beforeAll(async () => {
    fake = await startFakeProviders()
    dataDir = mkdtempSync(join(tmpdir(), 'sy-console-logs-'))
    const [cp, dp] = [await freePort(), await freePort()]
    dataPort = dp
    const env = {
      DATABASE_URL: await createTestDatabase('console_logs'),
      CONTROL_PLANE_PORT: String(cp),
      DATA_PLANE_PORT: String(dp),
      SWITCHYARD_DATA_DIR: dataDir,
    }
    controlUrl = `http://127.0.0.1:${cp}`
    const dataUrl = `http://127.0.0.1:${dp}`
    switchyard = startTs('control-plane/server/main.ts', ['embedded'], env)
    ;[browser] = await Promise.all([launchBrowser(), switchyard.waitFor(/data plane listening/)])
    await Promise.all([waitForReady(controlUrl), waitForReady(dataUrl)])
    ctx = await bootstrapAndConnect({ controlUrl, dataUrl, cliEnv: env, fake, email })
    page = await (await newContext(browser)).newPage()
    await page.goto(`${controlUrl}/login`)
    await page.getByLabel('Email').fill(email)
    await page.getByLabel('Password').fill(PASSWORD)
    await page.getByRole('button', { name: 'Log in' }).click()
    await page.waitForURL(/\/teams\/acme$/)
  })

  afterAll(async () => {
    await browser?.close()
    await switchyard?.stop()
    await fake?.close()
    rmSync(dataDir, { recursive: true, force: true })
  })

  /** A pending invitation's row goes as soon as Revoke is pressed (the POST is held back), and stays gone. */
  async function revokeInviteOptimistically() {
    await page.getByLabel('Email').fill('second-thoughts@example.com')
    await page.getByRole('button', { name: 'Send invitation' }).click()
    await expect.poll(() => page.getByTestId('invite-row').count()).toBe(1)
    let release = () => {}
    const held = new Promise<void>((r) => (release = r))
    await page.route('**/teams/acme/members*', async (route) => {
      if (route.request().method() === 'POST') await held
      await route.continue()
    })
    await page.getByRole('button', { name: 'Revoke the invitation of second-thoughts@example.com' }).click()
    await expect.poll(() => page.getByTestId('invite-row').count()).toBe(0)
    await page.getByText('Nobody is waiting to join').waitFor()
    release()
    await page.getByTestId('toast').filter({ hasText: 'Invitation revoked' }).waitFor()
    await page.unroute('**/teams/acme/members*')
    await page.reload()
    await page.getByText('Nobody is waiting to join').waitFor()
    expect(await page.getByTestId('invite-row').count()).toBe(0)
  }

  const successRows = () => page.getByTestId('log-row').filter({ has: page.getByText('Success', { exact: true }) })

  it('shows two SDK calls within seconds without a reload, filters by status, opens the detail', async () => {
    await page.getByRole('link', { name: 'Logs' }).click()
    await page.getByRole('heading', { name: 'Request logs' }).waitFor()
    expect(await successRows().count()).toBe(0)

    for (const content of ['first call', 'second call']) {
      await ctx.client.chat.completions.create({ model: 'fake-openai/gpt-4o-mini', messages: [{ role: 'user', content }] })
    }
    // Auto-refresh revalidates every 5 s: both rows arrive without navigation.
    await expect.poll(() => successRows().count(), { timeout: 12_000, interval: 250 }).toBe(2)
    await page.getByTestId('new-rows').filter({ hasText: /new request/ }).waitFor({ state: 'attached' })
    await screenshot(page, 'console-logs')

    await page.getByLabel('Status').selectOption('2xx')
    await page.getByRole('button', { name: 'Apply filters' }).click()
    await page.waitForURL(/status=2xx/)
    await expect.poll(() => page.getByTestId('log-row').count()).toBe(2)
    expect(await successRows().count()).toBe(2)

    await page.getByLabel('Status').selectOption('5xx')
    await page.getByRole('button', { name: 'Apply filters' }).click()
    await page.getByText('No requests match these filters').waitFor()
    await screenshot(page, 'console-logs-filtered-empty')

    await page.goto(`${controlUrl}/teams/acme/logs?status=2xx`)
    await page.getByTestId('log-row').first().getByRole('link').click()
    await page.getByRole('heading', { name: 'fake-openai · gpt-4o-mini', exact: false }).waitFor()
    const tokens = page.getByTestId('tokens')
    await tokens.getByText('Input', { exact: true }).waitFor()
    expect(await tokens.locator('dd').first().textContent()).toMatch(/^[1-9]\d*$/)
    await page.getByText('Upstream request id').first().waitFor()
    await page.getByText('e2e app').waitFor()
    await screenshot(page, 'console-log-detail')
  })

  it('a new team opens on the first-call guide with this installation’s base URL', async () => {
    await page.locator('summary', { hasText: 'switch team' }).click()
    await page.getByRole('link', { name: '+ New team' }).click()
    await page.getByLabel('Team name').fill('Second Shop')
    await page.getByRole('button', { name: 'Create team' }).click()
    await page.waitForURL(/\/teams\/second-shop$/)
    await page.goto(`${controlUrl}/teams/second-shop/logs`)
    await page.getByText('No requests yet').waitFor()
    expect(await page.getByText(`http://127.0.0.1:${dataPort}/v1`).count()).toBeGreaterThan(0)
    await screenshot(page, 'console-logs-empty')
  })

  it('members, audit and settings pages render for the owner', async () => {
    await page.goto(`${controlUrl}/teams/acme/members`)
    await page.getByLabel('Email').fill('newcomer@example.com')
    await page.getByLabel('Role').selectOption('viewer')
    await page.getByRole('button', { name: 'Send invitation' }).click()
    await page.getByTestId('invite-link').waitFor()
    await expect.poll(() => page.getByTestId('invite-row').count()).toBe(1)
    await screenshot(page, 'console-members')

    // The invitee signs up through the link (email prefilled), comes back, accepts and joins.
    const link = (await page.getByTestId('invite-link').textContent())!.trim()
    const invitee = await (await newContext(browser)).newPage()
    await invitee.goto(link)
    await invitee.getByRole('heading', { name: 'Join Acme' }).waitFor()
    await screenshot(invitee, 'console-invite')
    await invitee.getByRole('link', { name: 'Create an account' }).click()
    expect(await invitee.getByLabel('Work email').inputValue()).toBe('newcomer@example.com')
    await invitee.getByLabel('Your name').fill('New Comer')
    await invitee.getByLabel('Password').fill(PASSWORD)
    await invitee.getByLabel('Team name').fill('Newcomer Sandbox')
    await invitee.getByRole('button', { name: 'Create account' }).click()
    // The emailed link creates the account and brings the invitee back to the invitation.
    await invitee.getByText('Check your inbox').waitFor()
    await invitee.goto(await awaitEmailLink(() => switchyard.output(), 'newcomer@example.com', '/verify-email/'))
    await invitee.getByRole('button', { name: 'Confirm my email' }).click()
    await invitee.waitForURL(/\/invites\//)
    await invitee.getByRole('button', { name: 'Accept and join Acme' }).click()
    await invitee.waitForURL(/\/teams\/acme$/)
    await invitee.getByTestId('toast').filter({ hasText: 'You joined as viewer' }).waitFor()
    await invitee.close()
    await page.reload()
    expect(await page.getByTestId('member-row').count()).toBe(2)
    await page.getByLabel('Role of newcomer@example.com').selectOption('member')
    await page.getByRole('button', { name: 'Save role of newcomer@example.com' }).click()
    expect(await page.getByLabel('Role of newcomer@example.com').inputValue()).toBe('member')
    await page.getByTestId('toast').filter({ hasText: 'newcomer@example.com is now a member' }).waitFor()
    expect(await page.getByLabel('Role of newcomer@example.com').inputValue()).toBe('member')
    await page.locator('summary', { hasText: 'Remove' }).click()
    await screenshot(page, 'console-members-joined')
    await revokeInviteOptimistically()

    await page.goto(`${controlUrl}/teams/acme/audit`)
    await page.getByTestId('audit-row').filter({ hasText: 'invite.create' }).first().waitFor()
    expect(await page.content()).not.toContain(ctx.virtualKey)
    await screenshot(page, 'console-audit')

    await page.goto(`${controlUrl}/teams/acme/settings`)
    await page.getByLabel('Team name').fill('Acme Industries')
    await page.getByRole('button', { name: 'Save' }).click()
    await page.getByTestId('toast').filter({ hasText: 'Team renamed' }).waitFor()
    await screenshot(page, 'console-team-settings')
  })

  it('fits a phone screen (390×844)', async () => {
    await page.setViewportSize({ width: 390, height: 844 })
    await page.goto(`${controlUrl}/teams/acme`)
    await page.locator('summary', { hasText: 'switch team' }).click()
    await screenshot(page, 'mobile-team-switcher')
    for (const [path, name] of [['', 'dashboard'], ['/providers', 'providers'], ['/virtual-keys', 'virtual-keys'], ['/logs', 'logs'], ['/members', 'members']]) {
      await page.goto(`${controlUrl}/teams/acme${path}`)
      await page.locator('main h1').first().waitFor()
      // Nothing pushes the page sideways: wide tables scroll inside their card.
      await screenshot(page, `mobile-${name}`)
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)
    }
  })
})
