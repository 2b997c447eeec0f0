import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions } from 'node:dns'
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

const nonPublicV4 = new BlockList()
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
  nonPublicV4.addSubnet(net, prefix, 'ipv4')
}
// Its own list: a BlockList also checks IPv4 addresses against its IPv6 rules (as ::ffff:a.b.c.d),
// which ::/3 below would refuse.
const nonPublicV6 = new BlockList()
for (const [net, prefix] of [
  // Only global unicast (2000::/3) is public: everything outside it is refused, among it
  // IPv4-translated ::ffff:0:a.b.c.d (RFC 2765, ::ffff:0:0:0/96), IPv4-compatible ::/96, NAT64
  // 64:ff9b::/96, unique-local fc00::/7 (incl. fd00:ec2::254, AWS metadata over IPv6),
  // link-local fe80::/10, site-local fec0::/10 and multicast ff00::/8. (IPv4-mapped
  // ::ffff:a.b.c.d never gets here: `normalize` judges it as the IPv4 address it is.)
  ['::', 3],
  ['4000::', 2],
  ['8000::', 1],
  // Inside 2000::/3:
  ['2001::', 23], // IETF protocol assignments, incl. Teredo 2001::/32 (embeds an IPv4 address)
  ['2001:db8::', 32], // documentation
  ['2002::', 16], // 6to4: embeds an IPv4 address
] as const) {
  nonPublicV6.addSubnet(net, prefix, 'ipv6')
}

export class UpstreamForbiddenError extends Error {
  override name = 'UpstreamForbiddenError'
  readonly code = 'SY_UPSTREAM_FORBIDDEN'
}

/** The eight 16-bit groups of an IPv6 address (a trailing dotted quad is the last two), or null. */
function ipv6Groups(address: string): number[] | null {
  if (isIP(address) !== 6) return null
  let text = address.split('%')[0] ?? ''
  const quad = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text)
  if (quad) {
    const [a, b, c, d] = quad.slice(1).map(Number) as [number, number, number, number]
    text = `${text.slice(0, quad.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`
  }
  const [head = '', tail] = text.split('::')
  const part = (s: string | undefined) => (s ? s.split(':').map((g) => parseInt(g, 16)) : [])
  const left = part(head)
  const right = part(tail)
  const groups = tail === undefined ? left : [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right]
  return groups.length === 8 ? groups : null
}

/**
 * IPv4-mapped `::ffff:a.b.c.d`, however written (dotted, hex, uncompressed), is the IPv4 address
 * a.b.c.d — a socket connects to it over IPv4 — so it is judged as that address.
 */
function normalize(address: string): { address: string; family: 'ipv4' | 'ipv6' } {
  const bare = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address
  const groups = ipv6Groups(bare)
  if (!groups) return { address: bare, family: 'ipv4' }
  const [high = 0, low = 0] = groups.slice(6)
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return { address: `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`, family: 'ipv4' }
  }
  return { address: bare.split('%')[0] ?? bare, family: 'ipv6' }
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

/** Resolves every address of a name (dns.lookup with `all: true`); injectable for tests of rebinding. */
export type ResolveAll = (hostname: string, options: LookupAllOptions, callback: (err: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void) => void

const resolveAll: ResolveAll = (hostname, options, callback) => dnsLookup(hostname, options, callback)

export function createAddressPolicy(allow: string, options: { resolve?: ResolveAll } = {}): AddressPolicy {
  const resolve = options.resolve ?? resolveAll
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
    return !(family === 'ipv4' ? nonPublicV4 : nonPublicV6).check(address, family)
  }

  const lookup: LookupFunction = (hostname, options, callback) => {
    resolve(hostname, { ...options, all: true }, (err, addresses) => {
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
