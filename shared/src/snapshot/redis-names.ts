// Redis names of CONTRACT.md, all under the deployment's prefix (default `sy:`).
export interface RedisNames {
  snapshotLatest: string
  snapshot: (version: number) => string
  snapshotChannel: string
  logStream: string
}

export const DEFAULT_REDIS_PREFIX = 'sy:'

export function redisNames(prefix: string = DEFAULT_REDIS_PREFIX): RedisNames {
  return {
    snapshotLatest: `${prefix}snapshot:latest`,
    snapshot: (version) => `${prefix}snapshot:${version}`,
    snapshotChannel: `${prefix}snapshots`,
    logStream: `${prefix}logs`,
  }
}
