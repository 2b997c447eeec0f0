export * from './envelope.ts'
export * from './master-key.ts'
