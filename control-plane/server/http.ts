import { once } from 'node:events'
import { existsSync } from 'node:fs'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { createRequestHandler, type ServerBuild } from '@remix-run/node'
import { ApiError } from '@switchyard/shared/errors'
import express from 'express'
import pg from 'pg'
import { ADMIN_API_PREFIX, type AdminApi, createAdminApi } from '../app/api/admin-api.server.ts'
import type { AppServices } from '../app/services/app-services.server.ts'
import { CSRF_REJECTION_MESSAGE, isAllowedOrigin } from '../app/services/csrf.server.ts'
import { BODY_LIMITS, readBodyWithin, refuseOversizedBody } from './body-limit.ts'
import { isMigrated } from './db/migrate.ts'
import { abortOnClientGone, sendFetchResponse, toFetchRequest } from './fetch-bridge.ts'
import { cspNonceOf, securityHeaders } from './security-headers.ts'

// The control plane's HTTP server: health, the admin API (a plain Request → Response function)
// and everything else through Remix. Services reach Remix only through the load context.
// In order:
//   1. security headers on every response (security-headers.ts), with the CSP nonce
//   2. /healthz, /readyz
//   3. the admin API: body read within BODY_LIMITS.adminApi, else a 413 in its error format
//   4. CSRF: state-changing console requests need this server's Origin
//   5. static assets, then Remix: body read within BODY_LIMITS.consoleForm, else a plain 413

export const CONTROL_PLANE_DIR = join(import.meta.dirname, '..')
export const REMIX_BUILD_PATH = join(CONTROL_PLANE_DIR, 'build', 'server', 'index.js')
const CLIENT_DIR = join(CONTROL_PLANE_DIR, 'build', 'client')

export async function loadRemixBuild(path: string = REMIX_BUILD_PATH): Promise<ServerBuild | null> {
  if (!existsSync(path)) return null
  return (await import(pathToFileURL(path).href)) as ServerBuild
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
  app.use(securityHeaders(options.services.config.production))

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
    // Express 4 does not await handlers: every failure is answered inside.
    void serveAdminApi(adminApi, req, res, log)
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
    const remix = createRequestHandler(options.remixBuild, 'production')
    // `use`, not `all('*')`: Express decodes a `*` route's path as a param and throws URIError
    // on a malformed %-escape; Remix answers those itself.
    app.use((req, res) => {
      void serveConsole(remix, req, res, options.services, log)
    })
  } else {
    app.use((_req, res) => {
      res.status(404).type('text/plain').send('Not found (the console is not built: run `npm run build` in control-plane)')
    })
  }

  // Whatever a middleware above passes on (serve-static's malformed-path 400, say) is answered
  // here rather than by Express's default handler, which logs the stack and, outside
  // production, sends it.
  app.use((err: unknown, req: express.Request, res: express.Response, _next: express.NextFunction) => {
    const status = httpStatusOf(err)
    if (status >= 500) log(`control-plane: ${req.method} ${req.path} failed: ${(err as Error).message}`)
    if (res.headersSent) return void res.destroy()
    res.status(status).type('text/plain').send(status >= 500 ? 'Internal error' : 'Bad request')
  })

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

/** The methods Remix sends to a route's action, which reads the body with request.formData(). */
const ACTION_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])
const UNSUPPORTED_FORM_MESSAGE = 'Unsupported Media Type: console forms are sent as application/x-www-form-urlencoded.'

// Every console form is urlencoded (no file uploads), so anything else, multipart and its
// parser included, is refused before an action's formData() would throw a 500 on it.
function isFormEncoded(contentType: string | undefined): boolean {
  return contentType?.split(';')[0]?.trim().toLowerCase() === 'application/x-www-form-urlencoded'
}

function isDecodablePath(path: string): boolean {
  try {
    decodeURI(path)
    return true
  } catch {
    return false
  }
}

function httpStatusOf(err: unknown): number {
  const status = typeof err === 'object' && err !== null && 'status' in err ? Number(err.status) : NaN
  if (err instanceof URIError) return 400
  return status >= 400 && status < 600 ? status : 500
}

function sendAdminError(res: express.Response, error: ApiError): void {
  res.status(error.status).json(error.toBody())
}

async function serveAdminApi(adminApi: AdminApi, req: express.Request, res: express.Response, log: (m: string) => void) {
  try {
    const read = await readBodyWithin(req, BODY_LIMITS.adminApi)
    if (read.kind === 'aborted') return void res.destroy()
    if (read.kind === 'too_large') {
      const error = new ApiError('payload_too_large', `the request body is larger than ${BODY_LIMITS.adminApi} bytes`)
      return refuseOversizedBody(req, res, () => sendAdminError(res, error))
    }
    const request = toFetchRequest(req, { path: req.originalUrl, body: read.body })
    if (!request) return sendAdminError(res, new ApiError('bad_request', 'the Host header is not valid'))
    await sendFetchResponse(res, await adminApi.handle(request))
  } catch (err) {
    log(`admin api: ${(err as Error).message}`)
    if (!res.headersSent) sendAdminError(res, new ApiError('internal', 'internal error'))
    else res.destroy()
  }
}

type RemixHandler = ReturnType<typeof createRequestHandler>

async function serveConsole(remix: RemixHandler, req: express.Request, res: express.Response, services: AppServices, log: (m: string) => void) {
  try {
    // React Router logs dozens of warnings per request for a path it cannot decode.
    if (!isDecodablePath(req.path)) return void res.status(400).type('text/plain').send('Bad request: the URL has a malformed %-escape.')
    const read = await readBodyWithin(req, BODY_LIMITS.consoleForm)
    if (read.kind === 'aborted') return void res.destroy()
    if (read.kind === 'too_large') {
      const message = `Payload too large: console forms accept at most ${BODY_LIMITS.consoleForm / 1024} KB.`
      return refuseOversizedBody(req, res, () => res.status(413).type('text/plain').send(message))
    }
    if (ACTION_METHODS.has(req.method) && !isFormEncoded(req.headers['content-type'])) {
      return void res.status(415).type('text/plain').send(UNSUPPORTED_FORM_MESSAGE)
    }
    const request = toFetchRequest(req, { path: req.originalUrl, body: read.body, signal: abortOnClientGone(res) })
    if (!request) return void res.status(400).type('text/plain').send('Bad request: the Host header is not valid.')
    const context = { services, clientIp: req.socket.remoteAddress ?? 'unknown', cspNonce: cspNonceOf(res) }
    await sendFetchResponse(res, await remix(request, context))
  } catch (err) {
    log(`console: ${req.method} ${req.path} failed: ${(err as Error).message}`)
    if (!res.headersSent) res.status(500).type('text/plain').send('Internal error')
    else res.destroy()
  }
}
