import { createServer as createHttpServer, type Server as HttpServer } from 'node:http'
import { createServer, type Server } from 'node:net'
import type { AddressInfo } from 'node:net'
import { HEADERS } from '@switchyard/shared/headers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chat, type Gateway, startGateway } from '../../data-plane/src/testing/gateway-fixture.ts'

// G-SEC-01, the hostile targets that need a running gateway (the address table itself is
// shared/src/net/address-policy.test.ts): an upstream's redirect is never followed, and a base
// URL with another scheme than http(s) is refused before any connection. A canary TCP server
// on loopback — which the test environment's policy ALLOWS — counts connections: 0 proves the
// gateway never tried, not merely that the policy refused.

let gateway: Gateway
let canary: Server
let canaryPort = 0
let connections = 0
let redirector: HttpServer

beforeAll(async () => {
  canary = createServer((socket) => {
    connections += 1
    socket.destroy()
  })
  await new Promise<void>((resolve) => canary.listen(0, '127.0.0.1', resolve))
  canaryPort = (canary.address() as AddressInfo).port
  redirector = createHttpServer((req, res) => {
    req.resume()
    const status = Number(req.url?.split('/')[1])
    res.writeHead(status, { location: `http://127.0.0.1:${canaryPort}/v1/chat/completions`, 'content-type': 'application/json' })
    res.end('{"error":{"message":"moved","type":"invalid_request_error"}}')
  })
  await new Promise<void>((resolve) => redirector.listen(0, '127.0.0.1', resolve))
  const redirectBase = `http://127.0.0.1:${(redirector.address() as AddressInfo).port}`
  gateway = await startGateway()
  const parts = gateway.defaultParts(2)
  parts.providers = [
    { id: 'prov_302', name: 'r302', baseUrl: `${redirectBase}/302` },
    { id: 'prov_307', name: 'r307', baseUrl: `${redirectBase}/307` },
    { id: 'prov_ftp', name: 'ftp', baseUrl: `ftp://127.0.0.1:${canaryPort}/v1` },
    { id: 'prov_gopher', name: 'gopher', baseUrl: `gopher://127.0.0.1:${canaryPort}/v1` },
    { id: 'prov_file', name: 'file', baseUrl: 'file:///etc/passwd' },
  ]
  await gateway.publish(parts)
})

afterAll(async () => {
  await gateway.close()
  await new Promise((resolve) => canary.close(resolve))
  await new Promise((resolve) => redirector.close(resolve))
})

const ask = (model: string) => chat(gateway, { model, messages: [{ role: 'user', content: 'hi' }] })

describe('G-SEC-01 SSRF through redirects and schemes', () => {
  it.each(['r302', 'r307'])('an upstream %s redirect is not followed (nor handed to the client)', async (connection) => {
    const res = await ask(`${connection}/gpt-4o-mini`)
    expect(res.status).toBe(Number(connection.slice(1)))
    expect(res.headers.get('location')).toBeNull()
    await res.arrayBuffer()
    expect(connections).toBe(0)
  })

  it.each(['ftp', 'gopher', 'file'])('a %s: base URL is refused before any connection', async (connection) => {
    const res = await ask(`${connection}/gpt-4o-mini`)
    expect(res.status).toBe(502)
    expect(res.headers.get(HEADERS.error)).toBe('SY_ERR_UPSTREAM_FORBIDDEN')
    expect(await res.json()).toMatchObject({ error: { code: 'upstream_forbidden' } })
    expect(connections).toBe(0)
  })
})
