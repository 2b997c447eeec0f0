import { randomBytes } from 'node:crypto'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { awaitEmailLink, type ConsoleServer, launchBrowser, newContext, startConsole } from '../support/browser.ts'

// Issue #11 item 7 in a real browser: the console's CSP must not break the console. Remix
// inlines its hydration context and ScrollRestoration's script; both run by the response's
// nonce, so the app hydrates, submits forms and navigates client-side with no violation, and
// a script without the nonce is refused.

const PASSWORD = 'correct horse battery staple'

/** Every console error or warning (Chromium reports CSP violations there), page error and 4xx/5xx load. */
function watch(page: Page): string[] {
  const problems: string[] = []
  page.on('console', (message) => {
    // A failed load is reported below, with its URL.
    if (message.text().startsWith('Failed to load resource')) return
    if (message.type() === 'error' || message.type() === 'warning') problems.push(`console.${message.type()}: ${message.text()}`)
  })
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`))
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`${response.status()} ${new URL(response.url()).pathname}`)
  })
  return problems
}

describe('the console under its Content-Security-Policy', () => {
  let browser: Browser
  let server: ConsoleServer

  /** Signup creates the account when its emailed link is confirmed (issue #11, no email oracle). */
  async function confirmSignup(page: Page, email: string) {
    await page.getByText('Check your inbox').waitFor()
    await page.goto(await awaitEmailLink(() => server.process.output(), email, '/verify-email/'))
    await page.getByRole('button', { name: 'Confirm my email' }).click()
    await page.waitForURL(/\/teams\/[a-z0-9-]+$/)
  }

  beforeAll(async () => {
    browser = await launchBrowser()
    server = await startConsole('console_csp')
  })

  afterAll(async () => {
    await browser?.close()
    await server?.stop()
  })

  it('hydrates, signs up and navigates client-side with no CSP violation or console error', async () => {
    const page = await (await newContext(browser)).newPage()
    const problems = watch(page)
    await page.goto(`${server.url}/signup`)
    // Hydrated: the Remix router exists only once the nonce'd inline scripts and modules ran.
    await page.waitForFunction(() => '__remixRouter' in window)
    const email = `csp-${randomBytes(4).toString('hex')}@example.test`
    await page.getByLabel('Your name').fill('Csp Tester')
    await page.getByLabel('Work email').fill(email)
    await page.getByLabel('Password').fill(PASSWORD)
    await page.getByLabel('Team name').fill('Policy')
    await page.getByRole('button', { name: 'Create account' }).click()
    await confirmSignup(page, email)
    // A client-side navigation keeps the same document (a marker set on window survives it).
    await page.evaluate(() => Object.assign(window, { sameDocument: true }))
    await page.getByRole('link', { name: 'Providers' }).first().click()
    await page.waitForURL(/\/providers$/)
    expect(await page.evaluate(() => 'sameDocument' in window)).toBe(true)
    await page.goto(`${server.url}/no-such-page`)
    await page.getByText('There is no page at this address.').waitFor()
    expect(problems).toEqual(['404 /no-such-page'])
    await page.close()
  })

  it('accepts a form posted without JavaScript (the Referrer-Policy keeps the Origin the CSRF check needs)', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false })
    const page = await context.newPage()
    await page.goto(`${server.url}/signup`)
    const email = `nojs-${randomBytes(4).toString('hex')}@example.test`
    await page.getByLabel('Your name').fill('No Script')
    await page.getByLabel('Work email').fill(email)
    await page.getByLabel('Password').fill(PASSWORD)
    await page.getByLabel('Team name').fill('Plain Forms')
    await page.getByRole('button', { name: 'Create account' }).click()
    // Both the signup and the confirmation are plain form posts here.
    await confirmSignup(page, email)
    await context.close()
  })

  it('refuses an injected inline script that lacks the nonce', async () => {
    const page = await (await newContext(browser)).newPage()
    const problems = watch(page)
    await page.goto(`${server.url}/login`)
    await page.waitForFunction(() => '__remixRouter' in window)
    const ran = await page.evaluate(() => {
      const script = document.createElement('script')
      script.textContent = 'window.injected = true'
      document.body.append(script)
      return 'injected' in window
    })
    expect(ran).toBe(false)
    await expect.poll(() => problems.filter((p) => p.includes('violates the following Content Security Policy directive'))).toHaveLength(1)
    await page.close()
  })
})
