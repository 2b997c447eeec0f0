export * from './ports.ts'
export * from './memory.ts'
export * from './redis.ts'
