import { describe, expect, it } from 'vitest'
import { createAddressPolicy, isIpLiteral } from './address-policy.ts'

const HOSTILE = [
  '127.0.0.1', '127.255.255.254', '0.0.0.0', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1',
  '169.254.169.254', '169.254.0.1', '100.64.0.1', '100.100.100.200', '100.127.255.255', '192.0.0.170',
  '198.18.0.1', '224.0.0.1', '239.255.255.250', '240.0.0.1', '255.255.255.255', '192.0.2.1',
  '::', '::1', '[::1]', 'fd00::1', 'fd00:ec2::254', 'fc00::1', 'fe80::1', 'fec0::1', 'ff02::1',
  '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:169.254.169.254', '::ffff:a9fe:a9fe', '::127.0.0.1',
  '64:ff9b::a9fe:a9fe', '2002:a9fe:a9fe::1', '2001:db8::1',
]

describe('address policy', () => {
  it('refuses private, loopback, link-local, CGNAT, unique-local, multicast, unspecified and metadata addresses', () => {
    const policy = createAddressPolicy('')
    for (const a of HOSTILE) expect(policy.addressAllowed(a), a).toBe(false)
    for (const a of ['8.8.8.8', '1.1.1.1', '100.63.255.255', '100.128.0.1', '172.32.0.1', '2606:4700::1111', '::ffff:8.8.8.8']) {
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
    for (const spelling of ['127.1', '2130706433', '0x7f000001', '017700000001', '0177.0.0.1', '[::ffff:127.0.0.1]']) {
      const { hostname } = new URL(`http://${spelling}/`)
      expect(() => policy.checkLiteral(hostname), spelling).toThrow(/not public/)
    }
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
