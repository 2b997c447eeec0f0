export * from './request-log-event.ts'
