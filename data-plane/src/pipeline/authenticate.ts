import { hashVirtualKey, isWellFormedVirtualKey } from '@switchyard/shared/keys'
import { GatewayError } from '../errors.ts'
import type { Dialect } from '../providers/types.ts'
import type { RuntimeConfig, RuntimeKey } from '../runtime/compile.ts'
import type { RequestContext } from './context.ts'

// 1. The virtual key → ctx.key, from the dialect's key header (Anthropic's `x-api-key`) or else
// `Authorization: Bearer`. A malformed key is refused before any lookup; unknown and revoked
// keys (absent from the snapshot) and expired keys get the same 401.

const BEARER = /^Bearer\s+(\S+)\s*$/i

const WHERE_TO_SEND: Record<Dialect, string> = {
  openai: 'in an Authorization header using Bearer auth',
  anthropic: 'in an x-api-key header (or an Authorization header using Bearer auth)',
}

// Keys already verified against this snapshot, so the regex, checksum and SHA-256 run once per
// key and snapshot, not per request. Only keys that exist are remembered (random well-formed
// keys cannot fill it), it is bounded, and a new snapshot starts empty (revocation is immediate).
const VERIFIED_LIMIT = 10_000
const verified = new WeakMap<RuntimeConfig, Map<string, RuntimeKey>>()

function findKey(runtime: RuntimeConfig, presented: string): RuntimeKey | undefined {
  let cache = verified.get(runtime)
  if (!cache) verified.set(runtime, (cache = new Map()))
  const known = cache.get(presented)
  if (known) return known
  if (!isWellFormedVirtualKey(presented)) return undefined
  const key = runtime.keysByHash.get(hashVirtualKey(presented))
  if (key && cache.size < VERIFIED_LIMIT) cache.set(presented, key)
  return key
}

export function authenticate(ctx: RequestContext): void {
  const match = ctx.authorization ? BEARER.exec(ctx.authorization) : null
  const presented = ctx.apiKey || match?.[1]
  if (!presented) {
    throw new GatewayError('SY_ERR_AUTH_INVALID_KEY', `You didn't provide an API key. Send your Switchyard virtual key ${WHERE_TO_SEND[ctx.dialect]}.`)
  }
  const invalid = () => new GatewayError('SY_ERR_AUTH_INVALID_KEY', 'Incorrect API key provided. Use a Switchyard virtual key (sy-…).')
  if (!ctx.runtime) {
    if (!isWellFormedVirtualKey(presented)) throw invalid()
    throw new GatewayError('SY_ERR_NOT_READY', 'The gateway has no configuration yet; retry shortly.')
  }
  const key = findKey(ctx.runtime, presented)
  if (!key) throw invalid()
  if (key.expiresAtMs !== null && key.expiresAtMs <= Date.now()) {
    throw new GatewayError('SY_ERR_AUTH_KEY_EXPIRED', 'This virtual key has expired.')
  }
  ctx.key = key
}
