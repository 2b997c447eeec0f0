import { type Redis, type RedisOptions } from 'ioredis'
import { openFailFastRedis } from '../infra/fail-fast-redis.ts'
import { z } from 'zod'
import { maxEjected } from './breaker-rules.ts'
import { BREAKER_SEED, BREAKER_TRANSITION, BUDGET_ADD } from './lua.ts'
import {
  type BreakerRecord,
  BreakerRecordSchema,
  type BreakerTransition,
  type BreakerTransitionResult,
  type BudgetAddRequest,
  type BudgetBucket,
  type ReplicaLatency,
  ReplicaLatencySchema,
  type RoutingStore,
} from './ports.ts'

type Script = (numberOfKeys: number, ...keysAndArgs: (string | number)[]) => Promise<unknown>
interface RoutingCommands {
  syRoutingBreaker: Script
  syRoutingBreakerSeed: Script
  syRoutingBudgetAdd: Script
}
const SCRIPTS: Record<keyof RoutingCommands, string> = {
  syRoutingBreaker: BREAKER_TRANSITION,
  syRoutingBreakerSeed: BREAKER_SEED,
  syRoutingBudgetAdd: BUDGET_ADD,
}

/** A breaker key outlives any cool-down; an idle target's record then expires by itself. */
const BREAKER_TTL_MS = 24 * 3600_000

const Reply = z.tuple([z.number(), z.string(), z.number(), z.number(), z.number(), z.number(), z.string(), z.number()])
const toResult = (reply: unknown): BreakerTransitionResult => {
  const [applied, state, openUntil, openings, generation, closedAt, holder, probeUntil] = Reply.parse(reply)
  return { applied: applied === 1, record: BreakerRecordSchema.parse({ state, openUntil, openings, generation, closedAt, holder, probeUntil }) }
}
const Announcement = z.object({ t: z.string(), s: z.string(), u: z.number(), n: z.number(), g: z.number(), c: z.number(), h: z.string(), p: z.number() })
const StoredBreaker = z.object({ s: z.string(), u: z.coerce.number(), n: z.coerce.number(), g: z.coerce.number(), c: z.coerce.number(), h: z.string(), p: z.coerce.number() })
const toRecord = (r: z.infer<typeof StoredBreaker>): BreakerRecord =>
  BreakerRecordSchema.parse({ state: r.s, openUntil: r.u, openings: r.n, generation: r.g, closedAt: r.c, holder: r.h, probeUntil: r.p })

export interface RedisRoutingStoreOptions {
  /** An existing client (not closed by close()), or a URL to open one. */
  client?: Redis
  url?: string
  /** Every key and the channel start with it (SWITCHYARD_REDIS_PREFIX). */
  prefix: string
  redisOptions?: RedisOptions
}

class RedisRoutingStore implements RoutingStore {
  readonly kind = 'redis' as const
  private readonly commands: RoutingCommands
  private subscriber: Redis | null = null
  private readonly listeners = new Set<(targetId: string, record: BreakerRecord) => void>()

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly owned: boolean,
  ) {
    for (const [name, lua] of Object.entries(SCRIPTS)) redis.defineCommand(name, { lua })
    this.commands = redis as unknown as RoutingCommands
  }

  private get channel(): string {
    return `${this.prefix}routing:breakers`
  }

  async transitionBreaker(t: BreakerTransition): Promise<BreakerTransitionResult> {
    const others = [...new Set(t.group)].filter((id) => id !== t.targetId)
    const keys = [this.breakerKey(t.targetId), ...others.map((id) => this.breakerKey(id))]
    const c = t.config
    const limit = maxEjected(others.length + 1, c)
    const args = [t.op, t.replicaId, t.now, c.baseCooldownMs, c.maxCooldownMs, c.probeTimeoutMs, c.resetAfterMs, limit, this.channel, t.targetId, BREAKER_TTL_MS, c.failedProbeCooldown === 'double' ? 1 : 0]
    return toResult(await this.commands.syRoutingBreaker(keys.length, ...keys, ...args))
  }

  async readBreakers(targetIds: readonly string[]): Promise<(BreakerRecord | null)[]> {
    if (targetIds.length === 0) return []
    const pipeline = this.redis.pipeline()
    for (const id of targetIds) pipeline.hgetall(this.breakerKey(id))
    const replies = (await pipeline.exec()) ?? []
    return replies.map(([err, value]) => {
      if (err) throw err
      const parsed = StoredBreaker.safeParse(value)
      return parsed.success ? toRecord(parsed.data) : null
    })
  }

  async seedBreaker(targetId: string, r: BreakerRecord): Promise<BreakerTransitionResult> {
    const args = [r.state, r.openUntil, r.openings, r.generation, r.closedAt, r.holder, r.probeUntil, this.channel, targetId, BREAKER_TTL_MS]
    return toResult(await this.commands.syRoutingBreakerSeed(1, this.breakerKey(targetId), ...args))
  }

  async onBreakerChange(listener: (targetId: string, record: BreakerRecord) => void): Promise<() => void> {
    this.listeners.add(listener)
    if (!this.subscriber) {
      // A subscribed connection can run nothing else: its own, duplicated from the main one.
      const subscriber = this.redis.duplicate({ maxRetriesPerRequest: null, enableOfflineQueue: true })
      subscriber.on('error', () => {
        // ioredis reconnects and resubscribes by itself; the reconcile poll covers the gap.
      })
      subscriber.on('message', (_channel: string, message: string) => this.deliver(message))
      this.subscriber = subscriber
      await subscriber.subscribe(this.channel)
    }
    return () => this.listeners.delete(listener)
  }

  async writeLatency(entries: readonly { targetId: string; latency: ReplicaLatency }[], ttlMs: number): Promise<void> {
    if (entries.length === 0) return
    const pipeline = this.redis.pipeline()
    for (const { targetId, latency } of entries) {
      pipeline.hset(this.latencyKey(targetId), latency.replicaId, JSON.stringify(latency))
      pipeline.pexpire(this.latencyKey(targetId), ttlMs)
    }
    for (const [err] of (await pipeline.exec()) ?? []) if (err) throw err
  }

  async readLatency(targetIds: readonly string[]): Promise<ReplicaLatency[][]> {
    if (targetIds.length === 0) return []
    const pipeline = this.redis.pipeline()
    for (const id of targetIds) pipeline.hgetall(this.latencyKey(id))
    const replies = (await pipeline.exec()) ?? []
    return replies.map(([err, value]) => {
      if (err) throw err
      const fields = z.record(z.string(), z.string()).parse(value)
      return Object.values(fields).flatMap((json) => {
        // Another version's or a corrupt entry is skipped, never trusted.
        const parsed = ReplicaLatencySchema.safeParse(safeJson(json))
        return parsed.success ? [parsed.data] : []
      })
    })
  }

  async addBudget(r: BudgetAddRequest): Promise<BudgetBucket[]> {
    const args: (string | number)[] = [r.replicaId, r.sinceBucket, r.untilBucket, r.bucketMs, r.ttlMs, r.deltas.length]
    for (const d of r.deltas) args.push(d.bucketStart, d.requests, d.retries)
    const reply = z.array(z.number().int()).parse(await this.commands.syRoutingBudgetAdd(1, this.budgetKey(r.group), ...args))
    const out: BudgetBucket[] = []
    for (let i = 0; i + 3 < reply.length; i += 4) {
      out.push({ bucketStart: reply[i] ?? 0, requests: reply[i + 1] ?? 0, retries: reply[i + 2] ?? 0, replicas: reply[i + 3] ?? 0 })
    }
    return out
  }

  async ping(): Promise<boolean> {
    try {
      return (await this.redis.ping()) === 'PONG'
    } catch {
      return false
    }
  }

  async close(): Promise<void> {
    this.listeners.clear()
    this.subscriber?.disconnect()
    this.subscriber = null
    if (this.owned) this.redis.disconnect()
  }

  private deliver(message: string): void {
    const parsed = Announcement.safeParse(safeJson(message))
    if (!parsed.success) return
    const record = BreakerRecordSchema.safeParse({ state: parsed.data.s, openUntil: parsed.data.u, openings: parsed.data.n, generation: parsed.data.g, closedAt: parsed.data.c, holder: parsed.data.h, probeUntil: parsed.data.p })
    if (!record.success) return
    for (const listener of this.listeners) listener(parsed.data.t, record.data)
  }

  private breakerKey(targetId: string): string {
    return `${this.prefix}routing:breaker:${targetId}`
  }

  private latencyKey(targetId: string): string {
    return `${this.prefix}routing:latency:${targetId}`
  }

  private budgetKey(group: string): string {
    return `${this.prefix}routing:budget:${group}`
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return null
  }
}

export function createRedisRoutingStore(options: RedisRoutingStoreOptions): RoutingStore {
  if (options.client) return new RedisRoutingStore(options.client, options.prefix, false)
  if (!options.url) throw new Error('createRedisRoutingStore needs a client or a url')
  // Off the request path, but a sync tick must not pile up behind a dead server.
  return new RedisRoutingStore(openFailFastRedis(options.url, options.redisOptions), options.prefix, true)
}
