import type { Keyring } from '@switchyard/shared/crypto'
import type { SwitchyardEnv } from '@switchyard/shared/env'
import type { Infra } from '@switchyard/shared/infra'
import type { FastifyInstance } from 'fastify'
import { buildApp } from './app.ts'

export interface DataPlaneOptions {
  env: SwitchyardEnv
  /** Redis (scale-out), the parent's over IPC (`npm start`'s child), or memory (tests). Owned by the caller: close() leaves it open. */
  infra: Infra
  keyring: Keyring
  /** The last-good snapshot is kept at join(dataDir, 'snapshot.json'). */
  dataDir: string
  /** How often `snapshot:latest` is polled besides pub/sub (default 5000). */
  pollIntervalMs?: number
  /** Fastify's logger (default false). */
  logger?: boolean
  /** Time to receive a whole request, body included (default app.ts REQUEST_TIMEOUT_MS). */
  requestTimeoutMs?: number
  /** Silence before a stream's SSE keep-alive comments start, and their interval (default 10 s; tests shorten it). */
  streamKeepAliveMs?: number
}

export interface DataPlane {
  app: FastifyInstance
  /** Binds SWITCHYARD_HOST:DATA_PLANE_PORT; resolves to the base URL. */
  listen(): Promise<string>
  /** Drains requests, stops the snapshot watcher, closes upstream pools and flushes request logs. */
  close(): Promise<void>
}

/** Builds the data plane and loads its first snapshot (Redis, else the last-good file). */
export async function buildDataPlane(options: DataPlaneOptions): Promise<DataPlane> {
  const app = await buildApp({
    env: options.env,
    infra: options.infra,
    keyring: options.keyring,
    dataDir: options.dataDir,
    pollIntervalMs: options.pollIntervalMs ?? 5_000,
    logger: options.logger ?? false,
    requestTimeoutMs: options.requestTimeoutMs,
    ...(options.streamKeepAliveMs === undefined ? {} : { streamKeepAliveMs: options.streamKeepAliveMs }),
  })
  await app.ready()
  return {
    app,
    listen: () => app.listen({ host: options.env.SWITCHYARD_HOST, port: options.env.DATA_PLANE_PORT }),
    close: () => app.close(),
  }
}
