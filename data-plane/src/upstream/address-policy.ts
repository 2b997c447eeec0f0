import { lookup as dnsLookup, type LookupAddress } from 'node:dns'
import { BlockList, isIP, type LookupFunction } from 'node:net'

// SSRF guard for upstream connections (SWITCHYARD_ALLOW_PRIVATE_UPSTREAMS): private,
// loopback, link-local (incl. cloud metadata) and other non-public addresses are refused
// unless allowed. The check runs on the RESOLVED address at connect time, so a public name
// that resolves to a private address (DNS rebinding) is refused too.

const loopback = new BlockList()
loopback.addSubnet('127.0.0.0', 8, 'ipv4')
loopback.addAddress('::1', 'ipv6')

const nonPublic = new BlockList()
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  nonPublic.addSubnet(net, prefix, 'ipv4')
}
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['64:ff9b::', 96],
] as const) {
  nonPublic.addSubnet(net, prefix, 'ipv6')
}

export class UpstreamForbiddenError extends Error {
  override name = 'UpstreamForbiddenError'
  readonly code = 'SY_UPSTREAM_FORBIDDEN'
}

function normalize(address: string): { address: string; family: 'ipv4' | 'ipv6' } {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)
  if (mapped?.[1]) return { address: mapped[1], family: 'ipv4' }
  return { address, family: isIP(address) === 6 ? 'ipv6' : 'ipv4' }
}

export interface AddressPolicy {
  /** The host (as written in the URL, with port) may reach any address. */
  hostAllowed(hostname: string, port: string): boolean
  /** Whether a resolved address may be connected to (for hosts not allowed by name). */
  addressAllowed(address: string): boolean
  /** A `net.connect` lookup that refuses disallowed addresses. */
  lookup: LookupFunction
}

export function createAddressPolicy(allow: string): AddressPolicy {
  const tokens = allow
    .split(',')
    .map((t) => t.trim().toLowerCase())
    .filter(Boolean)
  const any = tokens.includes('*')
  const allowLoopback = any || tokens.includes('loopback')
  const hosts = new Set(tokens.filter((t) => t !== '*' && t !== 'loopback'))

  const addressAllowed = (raw: string): boolean => {
    if (any) return true
    const { address, family } = normalize(raw)
    if (allowLoopback && loopback.check(address, family)) return true
    return !nonPublic.check(address, family)
  }

  const lookup: LookupFunction = (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
      if (err) return callback(err, '', 0)
      const refused = addresses.find((a) => !addressAllowed(a.address))
      if (refused || addresses.length === 0) {
        return callback(new UpstreamForbiddenError(`upstream host ${hostname} resolves to a non-public address`), '', 0)
      }
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses)
      const first = addresses[0] as LookupAddress
      callback(null, first.address, first.family)
    })
  }

  return {
    hostAllowed: (hostname, port) => any || hosts.has(hostname.toLowerCase()) || hosts.has(`${hostname.toLowerCase()}:${port}`),
    addressAllowed,
    lookup,
  }
}
