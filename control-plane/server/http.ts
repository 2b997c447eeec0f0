import { once } from 'node:events'
import { existsSync } from 'node:fs'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { Readable } from 'node:stream'
import { createRequestHandler } from '@remix-run/express'
import type { ServerBuild } from '@remix-run/node'
import express from 'express'
import pg from 'pg'
import { ADMIN_API_PREFIX, createAdminApi } from '../app/api/admin-api.server.ts'
import type { AppServices } from '../app/services/app-services.server.ts'
import { CSRF_REJECTION_MESSAGE, isAllowedOrigin } from '../app/services/csrf.server.ts'
import { isMigrated } from './db/migrate.ts'

// The control plane's HTTP server: health, the admin API (a plain Request → Response function)
// and everything else through Remix. Services reach Remix only through the load context.

export const CONTROL_PLANE_DIR = join(import.meta.dirname, '..')
export const REMIX_BUILD_PATH = join(CONTROL_PLANE_DIR, 'build', 'server', 'index.js')
const CLIENT_DIR = join(CONTROL_PLANE_DIR, 'build', 'client')

export async function loadRemixBuild(path: string = REMIX_BUILD_PATH): Promise<ServerBuild | null> {
  if (!existsSync(path)) return null
  return (await import(pathToFileURL(path).href)) as ServerBuild
}

function toFetchRequest(req: express.Request): Request {
  const headers = new Headers()
  for (const [name, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) value.forEach((v) => headers.append(name, v))
    else if (value !== undefined) headers.set(name, value)
  }
  const url = `http://${req.headers.host ?? 'localhost'}${req.originalUrl}`
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD'
  return new Request(url, {
    method: req.method,
    headers,
    ...(hasBody ? { body: Readable.toWeb(req) as ReadableStream<Uint8Array>, duplex: 'half' } : {}),
  })
}

async function sendResponse(res: express.Response, response: Response): Promise<void> {
  res.status(response.status)
  response.headers.forEach((value, name) => res.setHeader(name, value))
  res.end(Buffer.from(await response.arrayBuffer()))
}

export interface ControlPlaneHttpOptions {
  services: AppServices
  databaseUrl: string
  /** The Vite build of the Remix app; without it, non-API paths answer 404. */
  remixBuild: ServerBuild | null
  log?: (message: string) => void
}

export interface ControlPlaneHttp {
  app: express.Express
  listen(host: string, port: number): Promise<string>
  close(): Promise<void>
}

export function createControlPlaneHttp(options: ControlPlaneHttpOptions): ControlPlaneHttp {
  const log = options.log ?? ((m: string) => process.stderr.write(`${m}\n`))
  const readinessPool = new pg.Pool({ connectionString: options.databaseUrl, max: 1, connectionTimeoutMillis: 2000 })
  readinessPool.on('error', () => {})
  const adminApi = createAdminApi(options.services, { log })
  const app = express()
  app.disable('x-powered-by')

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' })
  })
  app.get('/readyz', async (_req, res) => {
    let ready = false
    try {
      const client = await readinessPool.connect()
      try {
        ready = await isMigrated(client)
      } finally {
        client.release()
      }
    } catch {
      ready = false
    }
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not_ready' })
  })

  app.use(ADMIN_API_PREFIX, (req, res) => {
    // Express 4 does not await handlers: every failure is answered here.
    adminApi
      .handle(toFetchRequest(req))
      .then((response) => sendResponse(res, response))
      .catch((err: unknown) => {
        log(`admin api: ${(err as Error).message}`)
        if (!res.headersSent) res.status(500).json({ error: { code: 'internal', message: 'internal error' } })
        else res.destroy()
      })
  })

  // CSRF: every state-changing request to the console (all Remix actions) must carry an Origin
  // naming this server; the admin API above is exempt (Bearer tokens). docs/decisions/004-sessions.md
  app.use((req, res, next) => {
    const allowed = isAllowedOrigin({
      method: req.method,
      origin: req.headers.origin,
      publicOrigin: options.services.config.publicUrl,
    })
    if (allowed) return next()
    res.status(403).type('text/plain').send(CSRF_REJECTION_MESSAGE)
  })

  if (options.remixBuild) {
    app.use('/assets', express.static(join(CLIENT_DIR, 'assets'), { immutable: true, maxAge: '1y' }))
    app.use(express.static(CLIENT_DIR, { maxAge: '1h' }))
    app.all(
      '*',
      createRequestHandler({
        build: options.remixBuild,
        mode: 'production',
        getLoadContext: (req) => ({ services: options.services, clientIp: req.socket.remoteAddress ?? 'unknown' }),
      }),
    )
  } else {
    app.use((_req, res) => {
      res.status(404).type('text/plain').send('Not found (the console is not built: run `npm run build` in control-plane)')
    })
  }

  let server: Server | null = null
  return {
    app,
    async listen(host, port) {
      server = app.listen(port, host)
      await once(server, 'listening')
      const address = server.address() as AddressInfo
      const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address
      return `http://${shownHost}:${address.port}`
    },
    async close() {
      if (server) {
        const closing = new Promise<void>((resolve) => server!.close(() => resolve()))
        server.closeAllConnections()
        await closing
      }
      await readinessPool.end()
    },
  }
}
