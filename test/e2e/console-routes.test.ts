import { randomBytes } from 'node:crypto'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type ConsoleServer, launchBrowser, newContext, screenshot, signUpInBrowser, startConsole } from '../support/browser.ts'

// Routes issue, the console's route editor in a real browser: build a fallback of two targets
// from form controls (a validation error shows at its field and clears as it is fixed), save
// version 1, edit the JSON (the tree follows), save version 2, diff, roll back to version 1 →
// version 3 equals version 1. The control plane alone: routes are not served by the data plane yet.

const PASSWORD = 'correct horse battery staple'

async function addConnection(page: Page, base: string, name: string) {
  await page.goto(`${base}/providers`)
  await page.getByLabel('Provider').selectOption('openai-compatible')
  await page.getByLabel('Connection name').fill(name)
  await page.getByLabel('API key').fill(`sk-routes-${randomBytes(4).toString('hex')}`)
  await page.getByLabel('Base URL').fill('http://127.0.0.1:9/v1')
  await page.getByRole('button', { name: 'Add connection' }).click()
  await page.waitForURL(/\/providers\/[^/]+$/)
}

async function planJson(page: Page): Promise<unknown> {
  return JSON.parse(await page.getByLabel('Plan JSON (edits here update the tree)').inputValue())
}

describe('console: the route editor', () => {
  let server: ConsoleServer
  let browser: Browser
  let page: Page
  let base: string
  /** Errors in the browser (hydration, React, uncaught): the editor runs the schema client-side. */
  const browserErrors: string[] = []

  beforeAll(async () => {
    ;[server, browser] = await Promise.all([startConsole('console_routes'), launchBrowser()])
    page = await (await newContext(browser)).newPage()
    page.on('pageerror', (err) => browserErrors.push(err.message))
    page.on('console', (message) => {
      // HTTP statuses (the favicon's 404, an action's expected 422) are asserted through the UI.
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) browserErrors.push(message.text())
    })
    await signUpInBrowser(page, {
      base: server.url,
      output: () => server.process.output(),
      email: `routes-${randomBytes(4).toString('hex')}@example.test`,
      name: 'Rita Route',
      team: 'Route Team',
      password: PASSWORD,
    })
    base = page.url()
    await addConnection(page, base, 'primary')
    await addConnection(page, base, 'backup')
  })

  afterAll(async () => {
    await browser?.close()
    await server?.stop()
  })

  it('builds a fallback of two targets with live validation at the field, and saves version 1', async () => {
    await page.getByRole('navigation', { name: 'Team' }).getByRole('link', { name: 'Routes' }).click()
    await page.getByText('No routes yet').waitFor()
    await page.getByLabel('Alias').fill('support-bot')
    await page.getByRole('button', { name: 'Open the editor' }).click()
    await page.waitForURL(/\/routes\/support-bot\?new$/)

    // The draft's first target has no model yet: the message sits at that field, Save is off.
    const firstError = page.locator('[data-error-path="children.0.model"]')
    await firstError.waitFor()
    expect(await firstError.textContent()).toContain('<connection>/<model>')
    expect(await page.getByLabel('Model (children.0)').getAttribute('aria-invalid')).toBe('true')
    const create = page.getByRole('button', { name: 'Create the route' })
    expect(await create.isDisabled()).toBe(true)
    await page.getByLabel('Connection (children.0)').selectOption('primary')
    await page.getByLabel('Model (children.0)').fill('gpt-4o-mini')
    await firstError.waitFor({ state: 'detached' })

    await page.getByRole('button', { name: 'Add target (root)' }).click()
    await page.locator('[data-error-path="children.1.model"]').waitFor()
    await page.getByLabel('Connection (children.1)').selectOption('backup')
    await page.getByLabel('Model (children.1)').fill('gpt-4o')
    await page.locator('[data-error-path="children.1.model"]').waitFor({ state: 'detached' })
    // Error kinds: add context_length to the defaults.
    await page.getByLabel('context_length (root)').check()
    await page.getByText('The plan is valid.').waitFor()
    expect(await planJson(page)).toEqual({
      type: 'fallback',
      children: [
        { type: 'target', model: 'primary/gpt-4o-mini' },
        { type: 'target', model: 'backup/gpt-4o' },
      ],
      on: ['connection', 'timeout', 'rate_limited', 'server_error', 'overloaded', 'stream_error', 'context_length'],
    })
    await screenshot(page, 'route-editor-new')
    await create.click()
    await page.getByTestId('toast').filter({ hasText: 'Saved version 1' }).waitFor()
    await page.getByText('Version 1 is live.').waitFor()
  })

  it('edits the JSON (the tree follows), saves version 2, and rolls back to version 1 as version 3', async () => {
    const v1 = await planJson(page)
    const json = page.getByLabel('Plan JSON (edits here update the tree)')
    // A connection the team does not have passes the schema; the server's 422 lands at its field.
    await json.fill('{"type": "target", "model": "nowhere/gpt-4o"}')
    await page.getByText('The plan is valid.').waitFor()
    await page.getByRole('button', { name: 'Save a new version' }).click()
    const unknown = page.locator('[data-error-path="model"]')
    await unknown.waitFor()
    expect(await unknown.textContent()).toContain('no provider connection named "nowhere"')
    await json.fill('{"type": "weighted", "children": [{"type": "target", "model": "primary/gpt-4o-mini", "weight": 3}, {"type": "target", "model": "backup/gpt-4o"}]')
    await page.getByText('Not valid JSON').waitFor()
    await json.fill('{"type": "weighted", "children": [{"type": "target", "model": "primary/gpt-4o-mini", "weight": 0}, {"type": "target", "model": "backup/gpt-4o"}]}')
    // The tree follows the JSON, with the schema's message at the weight field.
    await page.locator('[data-error-path="children.0.weight"]').waitFor()
    expect(await page.getByLabel('Type (root)').inputValue()).toBe('weighted')
    await page.getByLabel('Weight (children.0)').fill('3')
    await page.locator('[data-error-path="children.0.weight"]').waitFor({ state: 'detached' })
    const v2 = await planJson(page)
    expect(v2).toEqual({ type: 'weighted', children: [{ type: 'target', model: 'primary/gpt-4o-mini', weight: 3 }, { type: 'target', model: 'backup/gpt-4o' }] })
    await page.getByRole('button', { name: 'Save a new version' }).click()
    await page.getByTestId('toast').filter({ hasText: 'Saved version 2' }).waitFor()
    expect(await planJson(page)).toEqual(v2)

    await page.getByRole('button', { name: 'Diff v1 → live' }).click()
    const diff = page.getByLabel('Plan diff')
    await diff.waitFor()
    expect(await diff.textContent()).toContain('"weighted"')
    await screenshot(page, 'route-editor-versions')

    await page.getByRole('button', { name: 'Roll back to v1' }).click()
    await page.getByTestId('toast').filter({ hasText: 'version 3 (a copy of version 1) is live' }).waitFor()
    await page.getByText('Version 3 is live.').waitFor()
    expect(await planJson(page)).toEqual(v1)
    expect(await page.locator('[data-version]').evaluateAll((items) => items.map((i) => i.getAttribute('data-version')))).toEqual(['3', '2', '1'])
    expect(browserErrors).toEqual([])
  })
})
