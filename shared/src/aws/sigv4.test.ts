import { describe, expect, it } from 'vitest'
import { signingKey, signV4 } from './sigv4.ts'

// Vectors from the AWS Signature Version 4 test suite (docs.aws.amazon.com/general/latest/gr/
// signature-v4-test-suite.html): credentials AKIDEXAMPLE, region us-east-1, service "service",
// 2015-08-30T12:36:00Z.
const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' }
const now = new Date('2015-08-30T12:36:00Z')
const scope = 'Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request'

const SUITE: { name: string; method: string; url: string; headers: Record<string, string>; sig: string }[] = [
  { name: 'get-vanilla', method: 'GET', url: 'https://example.amazonaws.com/', headers: {}, sig: 'SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31' },
  { name: 'post-vanilla', method: 'POST', url: 'https://example.amazonaws.com/', headers: {}, sig: 'SignedHeaders=host;x-amz-date, Signature=5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b' },
  { name: 'get-vanilla-query-order-key-case', method: 'GET', url: 'https://example.amazonaws.com/?Param2=value2&Param1=value1', headers: {}, sig: 'SignedHeaders=host;x-amz-date, Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500' },
  { name: 'get-unreserved', method: 'GET', url: 'https://example.amazonaws.com/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz', headers: {}, sig: 'SignedHeaders=host;x-amz-date, Signature=07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f' },
  { name: 'post-header-value-case', method: 'POST', url: 'https://example.amazonaws.com/', headers: { 'My-Header1': 'VALUE1' }, sig: 'SignedHeaders=host;my-header1;x-amz-date, Signature=cdbc9802e29d2942e5e10b5bccfdd67c5f22c7c4e8ae67b53629efa58b974b7d' },
  { name: 'get-header-value-trim', method: 'GET', url: 'https://example.amazonaws.com/', headers: { 'My-Header1': ' value1', 'My-Header2': '"a   b   c"' }, sig: 'SignedHeaders=host;my-header1;my-header2;x-amz-date, Signature=acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736' },
]

describe('signV4', () => {
  for (const c of SUITE) {
    it(`matches the AWS test suite: ${c.name}`, () => {
      const signed = signV4({ method: c.method, url: new URL(c.url), headers: c.headers, region: 'us-east-1', service: 'service', now }, credentials)
      expect(signed.headers.authorization).toBe(`AWS4-HMAC-SHA256 ${scope}, ${c.sig}`)
      expect(signed.headers['x-amz-date']).toBe('20150830T123600Z')
    })
  }

  it('builds the canonical request and string to sign of get-vanilla', () => {
    const signed = signV4({ method: 'GET', url: new URL('https://example.amazonaws.com/'), region: 'us-east-1', service: 'service', now }, credentials)
    expect(signed.canonicalRequest).toBe(
      'GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    )
    expect(signed.stringToSign).toBe(
      'AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\nbb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63',
    )
  })

  it('derives the signing key of the AWS documentation example', () => {
    expect(signingKey('wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', '20120215', 'us-east-1', 'iam').toString('hex')).toBe(
      'f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d',
    )
  })

  it('signs a session token as x-amz-security-token', () => {
    const signed = signV4(
      { method: 'GET', url: new URL('https://bedrock.us-east-1.amazonaws.com/foundation-models'), region: 'us-east-1', service: 'bedrock', now },
      { ...credentials, sessionToken: 'token-1' },
    )
    expect(signed.headers['x-amz-security-token']).toBe('token-1')
    expect(signed.headers.authorization).toContain('SignedHeaders=host;x-amz-date;x-amz-security-token,')
  })
})
