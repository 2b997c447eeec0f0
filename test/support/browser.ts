import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core'
import { waitForReady } from './admin-api.ts'
import { createTestDatabase } from './databases.ts'
import { freePort } from './ports.ts'
import { REPO_ROOT, type RunningProcess, startTs } from './processes.ts'

// Browser tests: Debian's Chromium driven by playwright-core (Playwright's own browser download
// does not work air-gapped, PLATFORM.md), against a control plane started as a real process.

export const CHROMIUM_PATH = '/usr/bin/chromium'
export const SCREENSHOT_DIR = join(REPO_ROOT, 'test', 'artifacts', 'screenshots')

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-quic',
]

/** Launches headless Chromium; a missing browser is a failure with the fix in the message, never a skip. */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `browser tests need Chromium at ${CHROMIUM_PATH}: install it with "apt-get install -y chromium" (.ci/run does this in CI)`,
    )
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true })
}

export function newContext(browser: Browser): Promise<BrowserContext> {
  return browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 })
}

/** A full-page screenshot in test/artifacts/screenshots/<name>.png (gitignored), to look at the UI. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true })
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true })
}

export interface ConsoleServer {
  url: string
  process: RunningProcess
  /** The server's own database (created for this label). */
  databaseUrl: string
  /** The newest link of an email to `to` printed to the server log (no SMTP configured). */
  lastEmailLink(to: string, path: string): string
  stop(): Promise<void>
}

/** The newest link of an email to `to` in a development server's log (no SMTP configured). */
export function emailLinkIn(output: string, to: string, path: string): string {
  const pattern = new RegExp(`email \\(no SMTP_URL[^\\n]*to ${to.replace(/[.+]/g, '\\$&')}:[^\\n]*(http://\\S+${path}\\S+)`, 'g')
  const link = [...output.matchAll(pattern)].map((m) => m[1]!).at(-1)
  if (!link) throw new Error(`no email to ${to} with a ${path} link in the server log`)
  return link
}

/** emailLinkIn, waiting a moment for the log line (the server's stderr is a pipe). */
export async function awaitEmailLink(output: () => string, to: string, path: string, timeoutMs = 5000): Promise<string> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    try {
      return emailLinkIn(output(), to, path)
    } catch (err) {
      if (Date.now() > deadline) throw err
      await new Promise((r) => setTimeout(r, 50))
    }
  }
}

/** Signs up in the browser and follows the emailed link, which creates the account and signs in. */
export async function signUpInBrowser(page: Page, options: { base: string; output: () => string; email: string; name: string; team: string; password: string }) {
  await page.goto(`${options.base}/signup`)
  await page.getByLabel('Your name').fill(options.name)
  await page.getByLabel('Work email').fill(options.email)
  await page.getByLabel('Password').fill(options.password)
  await page.getByLabel('Team name').fill(options.team)
  await page.getByRole('button', { name: 'Create account' }).click()
  await page.getByText('Check your inbox').waitFor()
  await page.goto(await awaitEmailLink(options.output, options.email, '/verify-email/'))
  await page.getByRole('button', { name: 'Confirm my email' }).click()
  await page.waitForURL(/\/teams\/[a-z0-9-]+$/)
}

/** The control plane alone (no data plane), on its own database and data dir. */
export async function startConsole(label: string, extraEnv: Record<string, string> = {}): Promise<ConsoleServer> {
  const dataDir = mkdtempSync(join(tmpdir(), `sy-${label}-`))
  const port = await freePort()
  const databaseUrl = await createTestDatabase(label)
  const env = {
    DATABASE_URL: databaseUrl,
    CONTROL_PLANE_PORT: String(port),
    SWITCHYARD_DATA_DIR: dataDir,
    ...extraEnv,
  }
  const proc = startTs('control-plane/server/main.ts', ['control-plane'], env)
  const url = `http://127.0.0.1:${port}`
  await proc.waitFor(/control plane listening/)
  await waitForReady(url)
  return {
    url,
    process: proc,
    databaseUrl,
    lastEmailLink: (to, path) => emailLinkIn(proc.output(), to, path),
    async stop() {
      await proc.stop()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

/** POSTs a form the way a browser would, with an explicit Origin (or none). */
export async function postForm(
  url: string,
  fields: Record<string, string>,
  options: { origin?: string | null; cookie?: string } = {},
): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' }
  const origin = options.origin === undefined ? new URL(url).origin : options.origin
  if (origin !== null) headers.origin = origin
  if (options.cookie) headers.cookie = options.cookie
  return fetch(url, { method: 'POST', headers, body: new URLSearchParams(fields).toString(), redirect: 'manual' })
}
