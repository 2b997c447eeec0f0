import { lookup as dnsLookup, type LookupAddress } from 'node:dns'
import { BlockList, isIP, type LookupFunction } from 'node:net'

// SSRF guard for outbound connections to provider hosts (SWITCHYARD_ALLOW_PRIVATE_UPSTREAMS):
// private, loopback, link-local (incl. cloud metadata), CGNAT, unique-local, multicast,
// unspecified and other non-public addresses are refused unless allowed. The check runs on the
// RESOLVED address at connect time, so a public name that resolves to a private address
// (DNS rebinding) is refused too. Shared by both planes: the data plane for provider calls,
// the control plane for "test connection".

const loopback = new BlockList()
loopback.addSubnet('127.0.0.0', 8, 'ipv4')
loopback.addAddress('::1', 'ipv6')

const nonPublic = new BlockList()
for (const [net, prefix] of [
  ['0.0.0.0', 8], // "this network", incl. 0.0.0.0
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // CGNAT, incl. Alibaba's metadata 100.100.100.200
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, incl. 169.254.169.254 (AWS, GCP, Azure metadata)
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24], // documentation ranges
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['192.88.99.0', 24], // 6to4 relay anycast
  ['192.168.0.0', 16],
  ['198.18.0.0', 15], // benchmarking
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, incl. broadcast
] as const) {
  nonPublic.addSubnet(net, prefix, 'ipv4')
}
for (const [net, prefix] of [
  ['::', 128], // unspecified
  ['::1', 128],
  ['::', 96], // IPv4-compatible (deprecated)
  ['64:ff9b::', 96], // NAT64: would reach an IPv4 address through a translator
  ['64:ff9b:1::', 48],
  ['100::', 64], // discard-only
  ['2001:db8::', 32], // documentation
  ['2002::', 16], // 6to4: embeds an IPv4 address
  ['fc00::', 7], // unique-local, incl. fd00:ec2::254 (AWS metadata over IPv6)
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated)
  ['ff00::', 8], // multicast
] as const) {
  nonPublic.addSubnet(net, prefix, 'ipv6')
}

export class UpstreamForbiddenError extends Error {
  override name = 'UpstreamForbiddenError'
  readonly code = 'SY_UPSTREAM_FORBIDDEN'
}

/** `::ffff:a.b.c.d` (and its hex form) is the IPv4 address a.b.c.d. */
function normalize(address: string): { address: string; family: 'ipv4' | 'ipv6' } {
  const bare = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address
  const dotted = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(bare)
  if (dotted?.[1]) return { address: dotted[1], family: 'ipv4' }
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(bare)
  if (hex?.[1] && hex[2]) {
    const high = parseInt(hex[1], 16)
    const low = parseInt(hex[2], 16)
    return { address: `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`, family: 'ipv4' }
  }
  return { address: bare, family: isIP(bare) === 6 ? 'ipv6' : 'ipv4' }
}

export interface AddressPolicy {
  /** The host (as written in the URL, with port) may reach any address. */
  hostAllowed(hostname: string, port: string): boolean
  /** Whether a resolved address may be connected to (for hosts not allowed by name). */
  addressAllowed(address: string): boolean
  /**
   * Throws UpstreamForbiddenError when `hostname` is an IP literal that may not be reached
   * (net.connect skips `lookup` for literals, so they are checked before connecting).
   */
  checkLiteral(hostname: string): void
  /** A `net.connect` lookup that refuses disallowed addresses. */
  lookup: LookupFunction
}

export function isIpLiteral(hostname: string): boolean {
  const bare = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname
  return isIP(bare) !== 0
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
    if (isIP(address) === 0) return false
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
    checkLiteral(hostname) {
      if (isIpLiteral(hostname) && !addressAllowed(hostname)) {
        throw new UpstreamForbiddenError(`upstream address ${hostname} is not public`)
      }
    },
    lookup,
  }
}
