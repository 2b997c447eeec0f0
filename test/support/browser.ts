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
  /** The newest link of an email to `to` printed to the server log (no SMTP configured). */
  lastEmailLink(to: string, path: string): string
  stop(): Promise<void>
}

/** The control plane alone (no data plane), on its own database and data dir. */
export async function startConsole(label: string, extraEnv: Record<string, string> = {}): Promise<ConsoleServer> {
  const dataDir = mkdtempSync(join(tmpdir(), `sy-${label}-`))
  const port = await freePort()
  const env = {
    DATABASE_URL: await createTestDatabase(label),
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
    lastEmailLink(to, path) {
      const pattern = new RegExp(`email \\(no SMTP_URL[^\\n]*to ${to.replace(/[.+]/g, '\\$&')}:[^\\n]*(http://\\S+${path}\\S+)`, 'g')
      const links = [...proc.output().matchAll(pattern)].map((m) => m[1]!)
      const link = links.at(-1)
      if (!link) throw new Error(`no email to ${to} with a ${path} link in the server log`)
      return link
    },
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
