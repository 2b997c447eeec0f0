import { describe, expect, it } from 'vitest'
import { createAddressPolicy, isIpLiteral, type ResolveAll } from './address-policy.ts'

// G-SEC-01's hostile targets that are addresses, each range at its edges. (Its names, URL
// spellings and rebinding are the tests below; redirects and schemes: test/security/ssrf.test.ts.)
const HOSTILE = [
  // IPv4: this network, loopback, RFC 1918, CGNAT, link-local / metadata, special-purpose.
  '0.0.0.0', '0.255.255.255', '127.0.0.1', '127.255.255.254', '10.0.0.0', '10.1.2.3', '10.255.255.255',
  '172.16.0.1', '172.31.255.255', '192.168.0.1', '192.168.1.1', '192.168.255.255',
  '100.64.0.1', '100.100.100.200', '100.127.255.255', '169.254.169.254', '169.254.0.1', '169.254.255.255',
  '192.0.0.170', '192.0.2.1', '198.51.100.1', '203.0.113.1', '192.88.99.1', '198.18.0.1', '198.19.255.255',
  '224.0.0.1', '239.255.255.250', '240.0.0.1', '255.255.255.255',
  // IPv6: unspecified, loopback, unique-local (incl. AWS metadata), link-local, site-local, multicast.
  '::', '[::]', '::1', '[::1]', '0:0:0:0:0:0:0:1', 'fc00::1', 'fd00::1', 'fd00:ec2::254', 'fdff:ffff::1',
  'fe80::1', 'fe80::1%eth0', 'febf::1', 'fec0::1', 'ff02::1',
  // IPv4 inside IPv6: mapped (judged as its IPv4, every spelling), translated, compatible, NAT64, 6to4, Teredo.
  '::ffff:127.0.0.1', '[::ffff:127.0.0.1]', '::ffff:7f00:1', '0:0:0:0:0:ffff:7f00:1', '::FFFF:10.0.0.1',
  '::ffff:169.254.169.254', '::ffff:a9fe:a9fe', '::ffff:0:127.0.0.1', '::ffff:0:7f00:1', '::ffff:0:8.8.8.8',
  '::127.0.0.1', '64:ff9b::a9fe:a9fe', '64:ff9b:1::1', '2002:a9fe:a9fe::1', '2001:0:4136:e378:8000:63bf:3fff:fdd2',
  '2001:db8::1', '100::1',
  // Not public unicast at all.
  '4000::1', '8000::1',
]

describe('G-SEC-01 address policy', () => {
  it('refuses private, loopback, link-local, CGNAT, unique-local, multicast, unspecified and metadata addresses', () => {
    const policy = createAddressPolicy('')
    for (const a of HOSTILE) expect(policy.addressAllowed(a), a).toBe(false)
    expect(HOSTILE.length).toBeGreaterThanOrEqual(40)
    const PUBLIC = ['8.8.8.8', '1.1.1.1', '100.63.255.255', '100.128.0.1', '172.32.0.1', '2606:4700::1111', '2001:4860:4860::8888', '::ffff:8.8.8.8', '0:0:0:0:0:ffff:808:808']
    for (const a of PUBLIC) {
      expect(policy.addressAllowed(a), a).toBe(true)
    }
    expect(policy.addressAllowed('not-an-ip')).toBe(false)
  })

  it('allows loopback only with `loopback`', () => {
    const policy = createAddressPolicy('loopback')
    expect(policy.addressAllowed('127.0.0.1')).toBe(true)
    expect(policy.addressAllowed('::1')).toBe(true)
    expect(policy.addressAllowed('::ffff:127.0.0.1')).toBe(true)
    expect(policy.addressAllowed('10.0.0.1')).toBe(false)
    expect(policy.addressAllowed('169.254.169.254')).toBe(false)
  })

  it('allows everything with `*` and named hosts from a list', () => {
    expect(createAddressPolicy('*').addressAllowed('10.0.0.1')).toBe(true)
    expect(createAddressPolicy('*').hostAllowed('anything', '1')).toBe(true)
    const policy = createAddressPolicy('vllm.internal:8000, Ollama')
    expect(policy.hostAllowed('vllm.internal', '8000')).toBe(true)
    expect(policy.hostAllowed('vllm.internal', '9000')).toBe(false)
    expect(policy.hostAllowed('ollama', '11434')).toBe(true)
    expect(policy.addressAllowed('10.0.0.1')).toBe(false)
  })

  it('checks IP literals, which never go through lookup', () => {
    const policy = createAddressPolicy('')
    expect(() => policy.checkLiteral('169.254.169.254')).toThrow(/not public/)
    expect(() => policy.checkLiteral('[fd00:ec2::254]')).toThrow(/not public/)
    expect(() => policy.checkLiteral('8.8.8.8')).not.toThrow()
    expect(() => policy.checkLiteral('api.openai.com')).not.toThrow()
    expect(isIpLiteral('[::1]')).toBe(true)
    expect(isIpLiteral('example.com')).toBe(false)
  })

  it('sees through the URL parser: every spelling of 127.0.0.1 becomes a refused literal', () => {
    const policy = createAddressPolicy('')
    const spellings = ['127.1', '2130706433', '0x7f000001', '017700000001', '0177.0.0.1', '[::ffff:127.0.0.1]', '[::ffff:0:127.0.0.1]', '[0:0:0:0:0:ffff:7f00:1]', 'a@127.0.0.1', 'a:b@169.254.169.254:80']
    for (const spelling of spellings) {
      const { hostname } = new URL(`http://${spelling}/`)
      expect(() => policy.checkLiteral(hostname), spelling).toThrow(/not public/)
    }
  })

  it('refuses a name that resolves to a private address, e.g. metadata.google.internal, and each rebinding of a name', async () => {
    const answers: Record<string, string[]> = { 'metadata.google.internal': ['169.254.169.254'], 'mixed.example': ['8.8.8.8', '10.0.0.1'], 'rebind.example': ['8.8.8.8', '127.0.0.1'] }
    let rebinds = 0
    const resolve: ResolveAll = (hostname, _options, callback) => {
      const all = answers[hostname] ?? []
      // rebind.example: public on the first lookup, private on the next (the TTL-0 rebinding trick).
      const address = hostname === 'rebind.example' ? all[Math.min(rebinds++, 1)] : undefined
      const addresses = (address ? [address] : all).map((a) => ({ address: a, family: a.includes(':') ? 6 : 4 }))
      callback(null, addresses)
    }
    const policy = createAddressPolicy('', { resolve })
    const lookup = (host: string) => new Promise<Error | null>((done) => policy.lookup(host, {}, (e) => done(e)))
    expect((await lookup('metadata.google.internal'))?.name).toBe('UpstreamForbiddenError')
    expect((await lookup('mixed.example'))?.name).toBe('UpstreamForbiddenError')
    expect(await lookup('rebind.example')).toBeNull()
    expect((await lookup('rebind.example'))?.name).toBe('UpstreamForbiddenError')
    expect((await lookup('nothing.example'))?.name).toBe('UpstreamForbiddenError')
  })

  it('refuses a name that resolves to loopback at lookup time', async () => {
    const policy = createAddressPolicy('')
    const err = await new Promise<Error | null>((resolve) => policy.lookup('localhost', {}, (e) => resolve(e)))
    expect(err?.name).toBe('UpstreamForbiddenError')
    const allowed = await new Promise<Error | null>((resolve) =>
      createAddressPolicy('loopback').lookup('localhost', {}, (e) => resolve(e)),
    )
    expect(allowed).toBeNull()
  })
})
