export * from './request-log-event.ts'
export * from './serialize.ts'
export * from './storable.ts'
