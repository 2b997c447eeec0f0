import type { Keyring } from '@switchyard/shared/crypto'
import type { Infra } from '@switchyard/shared/infra'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { LogEmitter } from '../logging/log-emitter.ts'
import type { RequestContext } from '../pipeline/context.ts'
import { SnapshotWatcher } from '../runtime/snapshot-watcher.ts'
import { createAddressPolicy } from '@switchyard/shared/net'
import { UpstreamClient } from '../upstream/client.ts'
import { DEFAULT_STREAM_KEEP_ALIVE_MS } from '../relay/keep-alive.ts'

// The data plane's infrastructure as decorators: the snapshot watcher (current RuntimeConfig),
// the upstream client (undici pools) and the request-log emitter. Started here (the first
// snapshot is loaded before the app is ready) and stopped on close: requests first drain,
// then the watcher stops, pools close and the logs are flushed.

declare module 'fastify' {
  interface FastifyInstance {
    snapshots: SnapshotWatcher
    upstream: UpstreamClient
    requestLogs: LogEmitter
    /** How long a stream may send its client nothing before SSE keep-alive comments start, and their interval (relay/keep-alive.ts). */
    streamKeepAliveMs: number
  }
  interface FastifyRequest {
    gateway: RequestContext | null
  }
}

export interface GatewayServicesOptions {
  infra: Infra
  keyring: Keyring
  dataDir: string
  pollIntervalMs: number
  allowPrivateUpstreams: string
  streamKeepAliveMs?: number
}

async function gatewayServices(app: FastifyInstance, options: GatewayServicesOptions) {
  const snapshots = new SnapshotWatcher({
    snapshots: options.infra.snapshots,
    keyring: options.keyring,
    dataDir: options.dataDir,
    pollIntervalMs: options.pollIntervalMs,
    log: app.log,
  })
  const upstream = new UpstreamClient(createAddressPolicy(options.allowPrivateUpstreams))
  const requestLogs = new LogEmitter({ logs: options.infra.logs, log: app.log })
  app.decorate('snapshots', snapshots)
  app.decorate('upstream', upstream)
  app.decorate('requestLogs', requestLogs)
  app.decorate('streamKeepAliveMs', options.streamKeepAliveMs ?? DEFAULT_STREAM_KEEP_ALIVE_MS)
  app.decorateRequest('gateway', null)
  app.addHook('onClose', async () => {
    await snapshots.stop()
    await upstream.close()
    await requestLogs.close()
  })
  await snapshots.start()
}

export default fp(gatewayServices, { name: 'gateway-services' })
