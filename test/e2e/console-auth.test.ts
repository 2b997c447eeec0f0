import { randomBytes } from 'node:crypto'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type ConsoleServer, launchBrowser, newContext, screenshot, signUpInBrowser, startConsole } from '../support/browser.ts'

// Console issue: accounts and sessions in a real browser (Chromium), against a running control
// plane with no SMTP server, so emails come from its outbox / log.

const PASSWORD = 'correct horse battery staple'

function uniqueEmail(label: string): string {
  return `${label}-${randomBytes(4).toString('hex')}@example.test`
}

let server: ConsoleServer

/** Signs up and follows the emailed link, which creates the account and signs in. */
async function signUp(page: Page, base: string, who: { email: string; name: string; team: string }) {
  await signUpInBrowser(page, { base, output: () => server.process.output(), password: PASSWORD, ...who })
}

async function logIn(page: Page, base: string, email: string, password = PASSWORD) {
  await page.goto(`${base}/login`)
  await page.getByLabel('Email').fill(email)
  await page.getByLabel('Password').fill(password)
  await page.getByRole('button', { name: 'Log in' }).click()
}

async function logOut(page: Page) {
  await page.locator('summary', { hasText: 'Account menu' }).click()
  await page.getByRole('button', { name: 'Log out' }).click()
  await page.waitForURL(/\/login$/)
}

describe('console accounts in the browser', () => {
  let browser: Browser

  beforeAll(async () => {
    browser = await launchBrowser()
    server = await startConsole('console_auth')
  })

  afterAll(async () => {
    await browser?.close()
    await server?.stop()
  })

  it('signs up into the team dashboard, logs out and back in; a wrong password errors inline', async () => {
    const page = await (await newContext(browser)).newPage()
    await page.goto(server.url)
    await page.waitForURL(/\/login$/)
    expect(await page.content()).toContain('Switchyard')
    await screenshot(page, 'login')
    await page.goto(`${server.url}/signup`)
    await screenshot(page, 'signup')

    const email = uniqueEmail('ada')
    await signUp(page, server.url, { email, name: 'Ada Lovelace', team: 'Analytical Engines' })
    expect(page.url()).toMatch(/\/teams\/analytical-engines(-\d+)?$/)
    await page.getByRole('heading', { name: 'Welcome, Ada' }).waitFor()
    await page.getByText('Connect your first provider').waitFor()
    // Following the signup link confirmed the address.
    expect(await page.getByText('Please confirm your email address').count()).toBe(0)
    await screenshot(page, 'dashboard')

    await logOut(page)
    await logIn(page, server.url, email, 'not my password at all')
    await page.getByRole('alert').filter({ hasText: 'Wrong email or password.' }).waitFor()
    await screenshot(page, 'login-error')

    await logIn(page, server.url, email)
    await page.waitForURL(/\/teams\//)
    await page.close()
  })

  it('signing up again with a taken email says the same "check your inbox", and nothing changes', async () => {
    const email = uniqueEmail('grace')
    const first = await (await newContext(browser)).newPage()
    await signUp(first, server.url, { email, name: 'Grace Hopper', team: 'Compilers' })
    const page = await (await newContext(browser)).newPage()
    await page.goto(`${server.url}/signup`)
    await page.getByLabel('Your name').fill('Not Grace')
    await page.getByLabel('Work email').fill(email)
    await page.getByLabel('Password').fill('someone else entirely')
    await page.getByLabel('Team name').fill('Squatters')
    await page.getByRole('button', { name: 'Create account' }).click()
    await page.getByText('Check your inbox').waitFor()
    await screenshot(page, 'signup-check-inbox')
    expect(await page.getByText('already exists').count()).toBe(0)
    await logIn(page, server.url, email)
    await page.waitForURL(/\/teams\/compilers/)
    await page.close()
    await first.close()
  })

  it('changing the password ends the other sessions and keeps this one', async () => {
    const email = uniqueEmail('alan')
    const first = await (await newContext(browser)).newPage()
    await signUp(first, server.url, { email, name: 'Alan Turing', team: 'Bletchley' })
    const second = await (await newContext(browser)).newPage()
    await logIn(second, server.url, email)
    await second.waitForURL(/\/teams\//)

    await first.goto(`${server.url}/settings`)
    await expect(first.getByRole('row').count()).resolves.toBe(3)
    await screenshot(first, 'settings')
    await first.getByLabel('Current password').fill(PASSWORD)
    await first.getByLabel('New password', { exact: true }).fill('a much longer new passphrase')
    await first.getByLabel('Repeat the new password').fill('a much longer new passphrase')
    await first.getByRole('button', { name: 'Change password' }).click()
    await first.getByTestId('toast').filter({ hasText: '1 other session was logged out' }).waitFor()

    await second.reload()
    expect(second.url()).toMatch(/\/login/)
    await first.goto(`${server.url}/settings`)
    expect(first.url()).toMatch(/\/settings$/)
  })

  it('resets a forgotten password with the one-time link from the outbox', async () => {
    const email = uniqueEmail('edsger')
    const owner = await (await newContext(browser)).newPage()
    await signUp(owner, server.url, { email, name: 'Edsger Dijkstra', team: 'Structured' })

    const anon = await (await newContext(browser)).newPage()
    await anon.goto(`${server.url}/forgot-password`)
    await anon.getByLabel('Email').fill(email)
    await anon.getByRole('button', { name: 'Email me a reset link' }).click()
    await anon.getByText('reset link is on its way').waitFor()

    // The owner (signed in elsewhere) reads the email in the console's outbox.
    await owner.getByRole('link', { name: 'Outbox' }).click()
    await owner.getByText('Reset your Switchyard password').waitFor()
    await screenshot(owner, 'outbox')
    const link = await owner.locator('a[href*="/reset-password/"]').first().getAttribute('href')
    expect(link).toBeTruthy()

    await anon.goto(link!)
    await anon.getByLabel('New password', { exact: true }).fill('password')
    await anon.getByLabel('Repeat the new password').fill('password')
    await anon.getByRole('button', { name: 'Set new password' }).click()
    await anon.getByText('This password is too common').waitFor()
    await screenshot(anon, 'reset-password-error')
    await anon.getByLabel('New password', { exact: true }).fill('entirely fresh passphrase')
    await anon.getByLabel('Repeat the new password').fill('entirely fresh passphrase')
    await anon.getByRole('button', { name: 'Set new password' }).click()
    await anon.waitForURL(/\/login$/)

    // The reset ended every session, and the link works only once.
    await owner.reload()
    expect(owner.url()).toMatch(/\/login/)
    await anon.goto(link!)
    await anon.getByRole('heading', { name: 'This link has expired' }).waitFor()
    await logIn(anon, server.url, email, 'entirely fresh passphrase')
    await anon.waitForURL(/\/teams\//)
  })

  it('the login form is labelled and keyboard-operable in a sensible tab order', async () => {
    const email = uniqueEmail('kbd')
    const setup = await (await newContext(browser)).newPage()
    await signUp(setup, server.url, { email, name: 'Key Board', team: 'Keys' })
    await setup.close()

    const page = await (await newContext(browser)).newPage()
    await page.goto(`${server.url}/login`)
    // Runs in the page: the focused element's name attribute, else its text.
    const active = () =>
      page.locator('*:focus').evaluate((el) => el.getAttribute('name') ?? el.textContent?.trim() ?? el.tagName)
    expect(await active()).toBe('email')
    await page.keyboard.type(email)
    await page.keyboard.press('Tab')
    expect(await active()).toBe('password')
    await page.keyboard.type(PASSWORD)
    await page.keyboard.press('Tab')
    expect(await active()).toBe('Forgot your password?')
    await page.keyboard.press('Tab')
    expect(await active()).toBe('Log in')
    // Every input has an accessible name from its <label>.
    expect(await page.getByLabel('Email').getAttribute('name')).toBe('email')
    expect(await page.getByLabel('Password').getAttribute('name')).toBe('password')
    await page.keyboard.press('Enter')
    await page.waitForURL(/\/teams\//)
  })
})
