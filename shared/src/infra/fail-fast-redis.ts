import { Redis, type RedisOptions } from 'ioredis'

/**
 * A Redis client for state a replica can fall back from (limits, routing state): commands fail
 * within a second instead of queueing while Redis is away, so the caller degrades to its local
 * view rather than holding requests. ioredis reconnects by itself; its connection errors are
 * not thrown, failed commands reach the caller.
 */
export function openFailFastRedis(url: string, overrides?: RedisOptions): Redis {
  const redis = new Redis(url, { maxRetriesPerRequest: 1, commandTimeout: 1000, ...overrides })
  redis.on('error', () => {})
  return redis
}
