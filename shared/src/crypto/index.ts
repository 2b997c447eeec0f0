export * from './envelope.ts'
export * from './master-key.ts'
export * from './keyring-from-env.ts'
