import { createHash, createHmac } from 'node:crypto'

// AWS Signature Version 4 (header form) with node:crypto only. Used by the control plane's
// Bedrock "test connection" and by the data plane's Bedrock adapter. Checked against the
// published AWS SigV4 test suite (sigv4.test.ts).

export interface AwsCredentials {
  accessKeyId: string
  secretAccessKey: string
  sessionToken?: string | undefined
}

export interface SignRequest {
  method: string
  url: URL
  /** Headers to send and sign (names in any case). `host` and `x-amz-*` are added. */
  headers?: Record<string, string>
  body?: string | Uint8Array
  region: string
  service: string
  now?: Date
}

const sha256Hex = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex')
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data, 'utf8').digest()

/** RFC 3986 percent-encoding: everything but A-Z a-z 0-9 - _ . ~ */
function encodeRfc3986(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
}

/** Each path segment encoded once (the URL already holds it encoded), and again except for S3. */
function canonicalPath(url: URL, service: string): string {
  const path = url.pathname || '/'
  if (service === 's3') return path
  return path
    .split('/')
    .map((segment) => encodeRfc3986(decodeURIComponent(segment)))
    .join('/')
}

function canonicalQuery(url: URL): string {
  const pairs = [...url.searchParams].map(([k, v]) => [encodeRfc3986(k), encodeRfc3986(v)] as const)
  pairs.sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
  return pairs.map(([k, v]) => `${k}=${v}`).join('&')
}

export function amzDate(now: Date): string {
  return now.toISOString().replace(/[:-]|\.\d{3}/g, '')
}

export function signingKey(secretAccessKey: string, date: string, region: string, service: string): Buffer {
  return hmac(hmac(hmac(hmac(`AWS4${secretAccessKey}`, date), region), service), 'aws4_request')
}

export interface SignedRequest {
  canonicalRequest: string
  stringToSign: string
  /** Every header to send, lower-case: the caller's, `host`, `x-amz-date`, `authorization`, … */
  headers: Record<string, string>
}

/** The canonical request, string to sign and headers to send (incl. `authorization`). */
export function signV4(request: SignRequest, credentials: AwsCredentials): SignedRequest {
  const stamp = amzDate(request.now ?? new Date())
  const date = stamp.slice(0, 8)
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(request.headers ?? {})) headers[name.toLowerCase()] = value
  headers.host = request.url.host
  headers['x-amz-date'] = stamp
  if (credentials.sessionToken) headers['x-amz-security-token'] = credentials.sessionToken
  const names = Object.keys(headers).sort()
  const canonicalHeaders = names.map((n) => `${n}:${(headers[n] ?? '').trim().replace(/\s+/g, ' ')}\n`).join('')
  const signedHeaders = names.join(';')
  const payloadHash = sha256Hex(request.body ?? '')
  const canonicalRequest = [
    request.method.toUpperCase(),
    canonicalPath(request.url, request.service),
    canonicalQuery(request.url),
    canonicalHeaders,
    signedHeaders,
    payloadHash,
  ].join('\n')
  const scope = `${date}/${request.region}/${request.service}/aws4_request`
  const stringToSign = ['AWS4-HMAC-SHA256', stamp, scope, sha256Hex(canonicalRequest)].join('\n')
  const key = signingKey(credentials.secretAccessKey, date, request.region, request.service)
  const signature = createHmac('sha256', key).update(stringToSign, 'utf8').digest('hex')
  const authorization = `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`
  return { canonicalRequest, stringToSign, headers: { ...headers, authorization } }
}
