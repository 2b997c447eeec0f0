import { describe, expect, it } from 'vitest'
import { createAddressPolicy } from './address-policy.ts'

describe('address policy', () => {
  it('refuses private, loopback, link-local and metadata addresses by default', () => {
    const policy = createAddressPolicy('')
    for (const a of ['127.0.0.1', '10.1.2.3', '172.16.0.1', '192.168.1.1', '169.254.169.254', '0.0.0.0', '::1', 'fd00::1', 'fe80::1', '::ffff:127.0.0.1']) {
      expect(policy.addressAllowed(a), a).toBe(false)
    }
    expect(policy.addressAllowed('8.8.8.8')).toBe(true)
    expect(policy.addressAllowed('2606:4700::1111')).toBe(true)
  })

  it('allows loopback only with `loopback`', () => {
    const policy = createAddressPolicy('loopback')
    expect(policy.addressAllowed('127.0.0.1')).toBe(true)
    expect(policy.addressAllowed('::1')).toBe(true)
    expect(policy.addressAllowed('10.0.0.1')).toBe(false)
  })

  it('allows everything with `*` and named hosts from a list', () => {
    expect(createAddressPolicy('*').addressAllowed('10.0.0.1')).toBe(true)
    const policy = createAddressPolicy('vllm.internal:8000, ollama')
    expect(policy.hostAllowed('vllm.internal', '8000')).toBe(true)
    expect(policy.hostAllowed('vllm.internal', '9000')).toBe(false)
    expect(policy.hostAllowed('ollama', '11434')).toBe(true)
    expect(policy.addressAllowed('10.0.0.1')).toBe(false)
  })

  it('refuses a name that resolves to loopback at lookup time', async () => {
    const policy = createAddressPolicy('')
    const err = await new Promise<Error | null>((resolve) => policy.lookup('localhost', {}, (e) => resolve(e)))
    expect(err?.name).toBe('UpstreamForbiddenError')
  })
})
