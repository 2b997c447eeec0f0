import { Redis } from 'ioredis'

/** Every value under `prefix` as text (strings, streams, hashes, lists), for canary searches. */
export async function dumpRedis(url: string, prefix: string): Promise<string> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 })
  try {
    let dump = ''
    let cursor = '0'
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500)
      cursor = next
      for (const key of keys) {
        const type = await redis.type(key)
        if (type === 'string') dump += `${key}\t${await redis.get(key)}\n`
        else if (type === 'stream') dump += `${key}\t${JSON.stringify(await redis.xrange(key, '-', '+'))}\n`
        else if (type === 'hash') dump += `${key}\t${JSON.stringify(await redis.hgetall(key))}\n`
        else if (type === 'list') dump += `${key}\t${JSON.stringify(await redis.lrange(key, 0, -1))}\n`
        else if (type === 'set') dump += `${key}\t${JSON.stringify(await redis.smembers(key))}\n`
        else if (type === 'zset') dump += `${key}\t${JSON.stringify(await redis.zrange(key, 0, -1))}\n`
      }
    } while (cursor !== '0')
    return dump
  } finally {
    redis.disconnect()
  }
}
