// `@switchyard/shared/snapshot/plan`: the route plan schema alone, for the console's browser
// bundle. Nothing here may import node:crypto (the full snapshot schema does, for SealedSecret).
export * from './plan.ts'
export * from './plan-condition.ts'
export * from './route.ts'
