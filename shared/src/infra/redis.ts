import { Redis, type RedisOptions } from 'ioredis'
import { redisNames } from '../snapshot/redis-names.ts'
import { LOG_CONSUMER_GROUP, type Infra, type LogStream, type LogStreamEntry, type SnapshotBus } from './ports.ts'

// Stores a snapshot under its version and as latest, unless latest is already newer: two
// control-plane replicas publishing concurrently can never move the data plane backwards.
const PUBLISH_SCRIPT = `
local current = redis.call('GET', KEYS[1])
redis.call('SET', KEYS[2], ARGV[2], 'EX', ARGV[3])
if current then
  local ok, decoded = pcall(cjson.decode, current)
  if ok and type(decoded) == 'table' and tonumber(decoded.version) and tonumber(decoded.version) >= tonumber(ARGV[1]) then
    return 0
  end
end
redis.call('SET', KEYS[1], ARGV[2])
return 1
`

const VERSION_TTL_SECONDS = 7 * 24 * 3600
/** How the control plane's JSON.stringify of a ConfigSnapshot begins (its schema's key order). */
const SNAPSHOT_HEAD = /^\{"schemaVersion":\d+,"version":(\d+)[,}]/
const SNAPSHOT_HEAD_BYTES = 64
const LOG_STREAM_MAXLEN = 1_000_000

class RedisSnapshotBus implements SnapshotBus {
  constructor(
    private readonly redis: Redis,
    private readonly names: ReturnType<typeof redisNames>,
  ) {}

  async publish(version: number, json: string): Promise<void> {
    await this.redis.eval(PUBLISH_SCRIPT, 2, this.names.snapshotLatest, this.names.snapshot(version), version, json, VERSION_TTL_SECONDS)
    await this.redis.publish(this.names.snapshotChannel, String(version))
  }

  getLatest(): Promise<string | null> {
    return this.redis.get(this.names.snapshotLatest)
  }

  get(version: number): Promise<string | null> {
    return this.redis.get(this.names.snapshot(version))
  }

  async latestVersion(): Promise<number | null> {
    // The first bytes only: a snapshot of thousands of keys is megabytes, and parsing it every
    // poll would stall the data plane's event loop for nothing.
    const head = await this.redis.getrange(this.names.snapshotLatest, 0, SNAPSHOT_HEAD_BYTES - 1)
    const match = SNAPSHOT_HEAD.exec(head)
    return match ? Number(match[1]) : null
  }

  async subscribe(onVersion: (version: number) => void) {
    const subscriber = this.redis.duplicate()
    subscriber.on('error', () => {
      // Reconnects on its own; the poller covers anything missed meanwhile.
    })
    subscriber.on('message', (channel: string, message: string) => {
      const version = Number(message)
      if (channel === this.names.snapshotChannel && Number.isInteger(version)) onVersion(version)
    })
    await subscriber.subscribe(this.names.snapshotChannel)
    return async () => {
      subscriber.disconnect()
    }
  }
}

type StreamReply = [string, [string, string[]][]][] | null

/** A stream entry holds a batch: one `event` field per event (a batch of one is the same shape). */
function entriesOf(messages: [string, string[]][]): LogStreamEntry[] {
  const out: LogStreamEntry[] = []
  for (const [id, fields] of messages) {
    for (let i = 0; i + 1 < fields.length; i += 2) {
      if (fields[i] === 'event') out.push({ id, payload: fields[i + 1] as string })
    }
  }
  return out
}

class RedisLogStream implements LogStream {
  private groupReady: Promise<void> | null = null

  constructor(
    private readonly redis: Redis,
    private readonly stream: string,
    private readonly blockingClient: () => Redis,
  ) {}

  async append(payloads: readonly string[]): Promise<void> {
    if (payloads.length === 0) return
    // One entry per batch, not per event: one command instead of hundreds on the data plane's
    // hot core, and the batch lands (or fails) as a whole.
    const fields: string[] = []
    for (const payload of payloads) fields.push('event', payload)
    await this.redis.xadd(this.stream, 'MAXLEN', '~', LOG_STREAM_MAXLEN, '*', ...fields)
  }

  async read(options: { consumer: string; count: number; blockMs: number; claimIdleMs: number }) {
    await this.ensureGroup()
    const [, claimed] = (await this.redis.xautoclaim(
      this.stream,
      LOG_CONSUMER_GROUP,
      options.consumer,
      options.claimIdleMs,
      '0-0',
      'COUNT',
      options.count,
    )) as [string, [string, string[]][]]
    if (claimed.length > 0) return entriesOf(claimed)
    // BLOCK 0 would wait forever; the port's 0 means "don't wait", as the memory twin reads it.
    const reply = (
      options.blockMs > 0
        ? await this.blockingClient().xreadgroup('GROUP', LOG_CONSUMER_GROUP, options.consumer, 'COUNT', options.count, 'BLOCK', options.blockMs, 'STREAMS', this.stream, '>')
        : await this.redis.xreadgroup('GROUP', LOG_CONSUMER_GROUP, options.consumer, 'COUNT', options.count, 'STREAMS', this.stream, '>')
    ) as StreamReply
    return reply?.[0] ? entriesOf(reply[0][1]) : []
  }

  async ack(ids: readonly string[]): Promise<void> {
    // The events of one batch share their entry's id.
    if (ids.length > 0) await this.redis.xack(this.stream, LOG_CONSUMER_GROUP, ...new Set(ids))
  }

  private ensureGroup(): Promise<void> {
    this.groupReady ??= this.redis
      .xgroup('CREATE', this.stream, LOG_CONSUMER_GROUP, '0', 'MKSTREAM')
      .then(
        () => undefined,
        (err: Error) => {
          if (!String(err.message).includes('BUSYGROUP')) {
            this.groupReady = null
            throw err
          }
        },
      )
    return this.groupReady
  }
}

export interface RedisInfraOptions {
  url: string
  prefix: string
  /** Fail commands fast while Redis is down instead of queueing them forever. */
  redisOptions?: RedisOptions
}

export function createRedisInfra(options: RedisInfraOptions): Infra {
  const redis = new Redis(options.url, {
    maxRetriesPerRequest: 1,
    enableOfflineQueue: true,
    lazyConnect: false,
    ...options.redisOptions,
  })
  redis.on('error', () => {
    // ioredis reconnects by itself; callers see failed commands and degrade (last-good snapshot).
  })
  let blocking: Redis | null = null
  const blockingClient = () => {
    if (!blocking) {
      blocking = redis.duplicate()
      blocking.on('error', () => {})
    }
    return blocking
  }
  const names = redisNames(options.prefix)
  return {
    kind: 'redis',
    snapshots: new RedisSnapshotBus(redis, names),
    logs: new RedisLogStream(redis, names.logStream, blockingClient),
    ping: async () => {
      try {
        return (await redis.ping()) === 'PONG'
      } catch {
        return false
      }
    },
    close: async () => {
      blocking?.disconnect()
      redis.disconnect()
    },
  }
}
