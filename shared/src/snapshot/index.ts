export * from './schema.ts'
export * from './redis-names.ts'
export * from './provider-types.ts'
export * from './plan-entry.ts'
