export * from './virtual-key.ts'
export * from './admin-token.ts'
