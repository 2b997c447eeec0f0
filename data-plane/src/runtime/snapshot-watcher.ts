import type { Keyring } from '@switchyard/shared/crypto'
import type { SnapshotBus, Unsubscribe } from '@switchyard/shared/infra'
import { ConfigSnapshot, SNAPSHOT_SCHEMA_VERSION, SnapshotHeader } from '@switchyard/shared/snapshot'
import type { FastifyBaseLogger } from 'fastify'
import { compileSnapshot, type RuntimeConfig } from './compile.ts'
import { readLastGood, writeLastGood } from './last-good.ts'

// Keeps the current RuntimeConfig: GET latest at boot (else the last-good file on disk),
// then every announced version (pub/sub) plus a poll of latest (pub/sub is at-most-once).
// A candidate is accepted only when it is valid and newer; the swap is one assignment.
// Nothing here throws into the process: Redis being down only delays updates.

export interface SnapshotWatcherOptions {
  snapshots: SnapshotBus
  keyring: Keyring
  dataDir: string
  pollIntervalMs: number
  log: FastifyBaseLogger
}

const BOOT_WAIT_MS = 2_000

function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)
    promise.then(
      (v) => (clearTimeout(timer), resolve(v)),
      (e: unknown) => (clearTimeout(timer), reject(e)),
    )
  })
}

const reason = (err: unknown) => (err instanceof Error ? err.message : String(err))

export class SnapshotWatcher {
  private current: RuntimeConfig | null = null
  private queue: Promise<unknown> = Promise.resolve()
  private timer: NodeJS.Timeout | null = null
  private unsubscribe: Unsubscribe | null = null
  private subscribing: Promise<void> | null = null
  private stopped = false

  constructor(private readonly options: SnapshotWatcherOptions) {}

  /** The active config; read once per request so a request never sees two versions. */
  get runtime(): RuntimeConfig | null {
    return this.current
  }

  async start(): Promise<void> {
    const { snapshots, dataDir, log } = this.options
    const latest = await within(snapshots.getLatest(), BOOT_WAIT_MS).catch((err: unknown) => {
      log.warn({ err: reason(err) }, 'snapshot: could not read the latest snapshot at boot')
      return null
    })
    if (latest !== null) await this.offer(latest, 'boot')
    if (!this.current) {
      const disk = await readLastGood(dataDir).catch((err: unknown) => {
        log.error({ err: reason(err) }, 'snapshot: could not read the last-good snapshot file')
        return null
      })
      if (disk !== null) await this.offer(disk, 'disk')
    }
    if (!this.current) log.warn('snapshot: none available yet; not ready until one is published')
    this.subscribe()
    await within(this.subscribing ?? Promise.resolve(), BOOT_WAIT_MS).catch(() => undefined)
    this.timer = setInterval(() => this.poll(), this.options.pollIntervalMs)
    this.timer.unref()
  }

  async stop(): Promise<void> {
    this.stopped = true
    if (this.timer) clearInterval(this.timer)
    const unsubscribe = this.unsubscribe
    this.unsubscribe = null
    await unsubscribe?.().catch(() => undefined)
    await this.queue
  }

  /** Validates, compiles and (if newer) activates a candidate. Serialized; never throws. */
  offer(json: string, source: string): Promise<boolean> {
    const next = this.queue.then(() => this.apply(json, source))
    this.queue = next.catch(() => undefined)
    return next.catch((err: unknown) => {
      this.options.log.error({ err: reason(err), source }, 'snapshot: failed to apply')
      return false
    })
  }

  private subscribe(): void {
    if (this.unsubscribe || this.subscribing || this.stopped) return
    this.subscribing = this.options.snapshots
      .subscribe((version) => void this.onAnnounced(version))
      .then(
        async (unsubscribe) => {
          if (this.stopped) await unsubscribe()
          else this.unsubscribe = unsubscribe
        },
        (err: unknown) => this.options.log.warn({ err: reason(err) }, 'snapshot: subscribe failed; polling meanwhile'),
      )
      .finally(() => {
        this.subscribing = null
      })
  }

  private async onAnnounced(version: number): Promise<void> {
    if (this.current && version <= this.current.version) return
    try {
      const json = (await this.options.snapshots.get(version)) ?? (await this.options.snapshots.getLatest())
      if (json !== null) await this.offer(json, `announce:${version}`)
    } catch (err) {
      this.options.log.warn({ err: reason(err), version }, 'snapshot: could not fetch an announced version')
    }
  }

  /** Fetches (and parses) latest only when its version is newer than the one served, or unknown. */
  private poll(): void {
    this.subscribe()
    const { snapshots } = this.options
    snapshots
      .latestVersion()
      .then(async (version) => {
        if (version !== null && this.current && version <= this.current.version) return
        const json = await snapshots.getLatest()
        if (json !== null) await this.offer(json, 'poll')
      })
      .catch((err: unknown) => this.options.log.warn({ err: reason(err) }, 'snapshot: poll failed; serving the current snapshot'))
  }

  private async apply(json: string, source: string): Promise<boolean> {
    const { log } = this.options
    let raw: unknown
    try {
      raw = JSON.parse(json)
    } catch {
      log.error({ source }, 'snapshot: rejected, not JSON; keeping the current one')
      return false
    }
    const header = SnapshotHeader.safeParse(raw)
    if (!header.success) {
      log.error({ source }, 'snapshot: rejected, no schemaVersion/version; keeping the current one')
      return false
    }
    if (this.current && header.data.version <= this.current.version) return false
    if (header.data.schemaVersion !== SNAPSHOT_SCHEMA_VERSION) {
      log.error(
        { source, schemaVersion: header.data.schemaVersion, supported: SNAPSHOT_SCHEMA_VERSION, version: header.data.version },
        'snapshot: UNKNOWN schemaVersion; keeping the current snapshot. Upgrade this data plane.',
      )
      return false
    }
    const parsed = ConfigSnapshot.safeParse(raw)
    if (!parsed.success) {
      const issues = parsed.error.issues.slice(0, 10).map((i) => `${i.path.join('.')}: ${i.message}`)
      log.error({ source, version: header.data.version, issues }, 'snapshot: rejected, failed validation; keeping the current one')
      return false
    }
    const { runtime, issues } = compileSnapshot(parsed.data, this.options.keyring)
    for (const issue of issues) log.error({ ...issue, source }, 'snapshot: provider credential could not be opened; provider left out')
    this.current = runtime
    log.info({ source, version: runtime.version }, 'snapshot: active')
    await writeLastGood(this.options.dataDir, json).catch((err: unknown) =>
      log.warn({ err: reason(err) }, 'snapshot: could not write the last-good file'),
    )
    return true
  }
}
