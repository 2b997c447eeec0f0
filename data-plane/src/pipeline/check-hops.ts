import { GatewayError } from '../errors.ts'
import type { RequestContext } from './context.ts'

// Before 1. (run with authenticate, before the body is read): request loops (G-SEC-19). Every
// upstream request carries `x-gw-hop: <n>`, the number of Switchyard gateways it has passed
// (stage 6, execute, sends the inbound count + 1). One gateway may sit in front of another, so a
// request arriving with n = 1 is served; n > 1 is a loop (a connection whose base URL is a
// gateway itself, directly or through another) and is refused with a 508 before any work, so a
// loop ends at the second re-entry instead of nesting until something times out.

export const HOP_HEADER = 'x-gw-hop'
export const MAX_HOPS = 1

/** The inbound hop count: a decimal integer (anything else counts as 0; duplicates: the largest). */
export function hopsOf(value: string | string[] | undefined): number {
  if (value === undefined) return 0
  const values = typeof value === 'string' ? value.split(',') : value
  let hops = 0
  for (const entry of values) {
    const n = Number.parseInt(entry.trim(), 10)
    if (n > hops) hops = n
  }
  return hops
}

export function checkHops(ctx: RequestContext): void {
  if (ctx.hops > MAX_HOPS) {
    throw new GatewayError(
      'SY_ERR_REQUEST_LOOP',
      `This request has already passed through ${ctx.hops} Switchyard gateways: a provider connection's base URL points back at a gateway (a request loop).`,
    )
  }
}
