import type { RequestContext } from './context.ts'

// A stage of the request pipeline (pipeline/index.ts has THE list). `run` enriches ctx or throws
// a GatewayError; no stage calls the next. `after`, when a stage has one, runs once the request
// is over — success, upstream error, in-stream error, client cancel, gateway error alike — for
// every stage whose `run` started, in reverse order, exactly once (pipeline/index.ts finish).

/** How the request ended, as the after-halves see it. */
export interface Finished {
  /** The status the client got (a stream's is its head's). */
  status: number
  /** The client went away before the response was complete. */
  clientGone: boolean
}

export interface Stage {
  readonly name: string
  /**
   * Runs from the headers alone, in the route's onRequest hook, before the body is read
   * (synchronous). Head stages lead the list.
   */
  readonly head?: true
  /** Synchronous unless it has I/O to wait for: only a returned promise is awaited (no microtask hop for the pure stages). */
  run?(ctx: RequestContext): void | Promise<void>
  /** Must not throw: an after-half that fails is reported and the others still run. */
  after?(ctx: RequestContext, finished: Finished): void
}
