import { type Redis, type RedisOptions } from 'ioredis'
import { openFailFastRedis } from '../infra/fail-fast-redis.ts'
import { z } from 'zod'
import { ADJUST, ADMIT, BUDGET_STATUS, COUNT_LEASES, RELEASE, RENEW_LEASE, SETTLE } from './lua.ts'
import {
  type AdmitRequest,
  AdmitRequestSchema,
  type AdmitResult,
  type BudgetRule,
  BudgetRuleSchema,
  type BudgetState,
  CostSchema,
  type LeaseRef,
  LeaseRefSchema,
  type LeaseRenewal,
  LeaseRenewalSchema,
  type LeaseState,
  type Limits,
  parseOrThrow,
  type RateAdjustment,
  RateAdjustmentSchema,
  type RateState,
  type Reservation,
  ReservationSchema,
  type ReservedBudget,
  type ReserveRequest,
  type ReserveResult,
  type SettleResult,
} from './ports.ts'
import { alertThreshold, budgetRetryAfter, budgetState, GCRA_EPSILON_MS, reservedBudgets, reserveVia, windowExpiry } from './rules.ts'

type Script = (numberOfKeys: number, ...keysAndArgs: (string | number)[]) => Promise<unknown>
interface LimitCommands {
  syLimitsAdmit: Script
  syLimitsAdjust: Script
  syLimitsRenewLease: Script
  syLimitsCountLeases: Script
  syLimitsSettle: Script
  syLimitsRelease: Script
  syLimitsBudgetStatus: Script
}
const SCRIPTS: Record<keyof LimitCommands, string> = {
  syLimitsAdmit: ADMIT,
  syLimitsAdjust: ADJUST,
  syLimitsRenewLease: RENEW_LEASE,
  syLimitsCountLeases: COUNT_LEASES,
  syLimitsSettle: SETTLE,
  syLimitsRelease: RELEASE,
  syLimitsBudgetStatus: BUDGET_STATUS,
}

/** Every script answers integers; anything else is a broken store, never silently a number. */
const Integers = z.array(z.number().int())
const integers = (reply: unknown): number[] => Integers.parse(reply)
const at = (values: readonly number[], i: number): number => values[i] ?? 0

export interface RedisLimitsOptions {
  /** An existing client (not closed by close()), or a URL to open one. */
  client?: Redis
  url?: string
  /**
   * Every key starts with it; the caller's subject keys follow, so a Redis Cluster deployment
   * hash-tags them (e.g. `{team_1}:key_2`) to keep one call's keys in one slot. No `{` in the prefix.
   */
  prefix: string
  redisOptions?: RedisOptions
}

class RedisLimits implements Limits {
  readonly kind = 'redis' as const
  private readonly commands: LimitCommands

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly owned: boolean,
  ) {
    for (const [name, lua] of Object.entries(SCRIPTS)) redis.defineCommand(name, { lua })
    this.commands = redis as unknown as LimitCommands
  }

  async admit(request: AdmitRequest): Promise<AdmitResult> {
    const { rates, leases, reserve } = parseOrThrow(AdmitRequestSchema, request)
    const budgets = reserve ? reservedBudgets(reserve.budgets, Date.now()) : []
    const keys = [...rates.map((r) => this.rateKey(r.key)), ...leases.map((l) => this.leaseKey(l.key)), ...budgets.flatMap((b) => this.budgetKeys(b))]
    const args: (string | number)[] = [rates.length, leases.length, budgets.length, GCRA_EPSILON_MS]
    for (const r of rates) args.push(r.periodMs, r.limit, r.cost)
    for (const l of leases) args.push(l.limit, l.id, l.ttlMs)
    if (reserve) args.push(reserve.id, reserve.amount, reserve.ttlMs)
    for (const b of budgets) args.push(b.limit, b.mode === 'hard' ? 1 : 0, windowExpiry(b) ?? 0)
    const reply = integers(await this.commands.syLimitsAdmit(keys.length, ...keys, ...args))
    const rateStates: RateState[] = rates.map((r, i) => ({ key: r.key, limit: r.limit, remaining: at(reply, 3 + 2 * i), resetMs: at(reply, 4 + 2 * i) }))
    const leaseBase = 3 + 2 * rates.length
    const leaseStates: LeaseState[] = leases.map((l, j) => ({ key: l.key, limit: l.limit, remaining: at(reply, leaseBase + j) }))
    const budgetBase = leaseBase + leases.length
    const budgetStates = budgets.map((b, k) => budgetState(b, at(reply, budgetBase + 2 * k), at(reply, budgetBase + 2 * k + 1)))
    if (reply[0] === 1) {
      const reservation: Reservation | null = reserve ? { id: reserve.id, amount: reserve.amount, ttlMs: reserve.ttlMs, store: 'redis', budgets } : null
      return { ok: true, rates: rateStates, leases: leaseStates, budgets: budgetStates, reservation }
    }
    const failing = at(reply, 1) - 1
    const retry = at(reply, 2)
    const states = { rates: rateStates, leases: leaseStates, budgets: budgetStates }
    if (failing < rates.length) return { ok: false, subject: rates[failing]?.key ?? '', kind: 'rate', retryAfterMs: retry < 0 ? null : retry, ...states }
    if (failing < rates.length + leases.length) return { ok: false, subject: leases[failing - rates.length]?.key ?? '', kind: 'lease', retryAfterMs: retry, ...states }
    const budget = budgets[failing - rates.length - leases.length]
    return { ok: false, subject: budget?.key ?? '', kind: 'budget', retryAfterMs: budgetRetryAfter(budget), ...states }
  }

  async adjust(adjustment: RateAdjustment): Promise<RateState> {
    const { key, periodMs, limit, delta } = parseOrThrow(RateAdjustmentSchema, adjustment)
    const reply = integers(await this.commands.syLimitsAdjust(1, this.rateKey(key), periodMs, limit, delta))
    return { key, limit, remaining: at(reply, 0), resetMs: at(reply, 1) }
  }

  async renewLease(renewal: LeaseRenewal): Promise<boolean> {
    const { key, id, ttlMs } = parseOrThrow(LeaseRenewalSchema, renewal)
    return (await this.commands.syLimitsRenewLease(1, this.leaseKey(key), id, ttlMs)) === 1
  }

  async releaseLease(lease: LeaseRef): Promise<void> {
    const { key, id } = parseOrThrow(LeaseRefSchema, lease)
    await this.redis.zrem(this.leaseKey(key), id)
  }

  async countLeases(key: string): Promise<number> {
    return z.number().int().parse(await this.commands.syLimitsCountLeases(1, this.leaseKey(key)))
  }

  async reserve(request: ReserveRequest): Promise<ReserveResult> {
    return reserveVia(this, request)
  }

  async settle(travelled: Reservation, actualCost: number): Promise<SettleResult> {
    const reservation = parseOrThrow(ReservationSchema, travelled)
    const actual = parseOrThrow(CostSchema, actualCost)
    const args: (string | number)[] = [reservation.id, actual, reservation.ttlMs]
    for (const b of reservation.budgets) {
      args.push(windowExpiry(b) ?? 0, b.alertAt.length)
      for (const fraction of b.alertAt) args.push(String(fraction), alertThreshold(fraction, b.limit))
    }
    const keys = reservation.budgets.flatMap((b) => this.budgetKeys(b))
    const reply = integers(await this.commands.syLimitsSettle(keys.length, ...keys, ...args))
    let cursor = 1
    const budgets = reservation.budgets.map((b) => {
      const state = budgetState(b, at(reply, cursor), at(reply, cursor + 1))
      const count = at(reply, cursor + 2)
      const crossed = reply.slice(cursor + 3, cursor + 3 + count).map((k) => b.alertAt[k] ?? 0)
      cursor += 3 + count
      return { ...state, crossed }
    })
    return { applied: reply[0] === 1, budgets }
  }

  async release(travelled: Reservation): Promise<void> {
    const reservation = parseOrThrow(ReservationSchema, travelled)
    const keys = reservation.budgets.flatMap((b) => this.budgetKeys(b))
    const expiries = reservation.budgets.map((b) => windowExpiry(b) ?? 0)
    await this.commands.syLimitsRelease(keys.length, ...keys, reservation.id, reservation.ttlMs, ...expiries)
  }

  async budgetStatus(rule: BudgetRule): Promise<BudgetState> {
    const [budget] = reservedBudgets([parseOrThrow(BudgetRuleSchema, rule)], Date.now()) as [ReservedBudget]
    const reply = integers(await this.commands.syLimitsBudgetStatus(2, ...this.budgetKeys(budget)))
    return budgetState(budget, at(reply, 0), at(reply, 1))
  }

  async ping(): Promise<boolean> {
    try {
      return (await this.redis.ping()) === 'PONG'
    } catch {
      return false
    }
  }

  async close(): Promise<void> {
    if (this.owned) this.redis.disconnect()
  }

  private rateKey(key: string): string {
    return `${this.prefix}limits:rate:${key}`
  }

  private leaseKey(key: string): string {
    return `${this.prefix}limits:lease:${key}`
  }

  private budgetKeys(budget: ReservedBudget): [string, string] {
    const base = `${this.prefix}limits:budget:${budget.key}:${budget.windowStart}`
    return [`${base}:h`, `${base}:z`]
  }
}

export function createRedisLimits(options: RedisLimitsOptions): Limits {
  if (options.client) return new RedisLimits(options.client, options.prefix, false)
  if (!options.url) throw new Error('createRedisLimits needs a client or a url')
  // A limits call sits on the request path: the resilient wrapper falls back to local limits.
  return new RedisLimits(openFailFastRedis(options.url, options.redisOptions), options.prefix, true)
}
