import { describe, expect, it } from 'vitest'
import { seal } from '../crypto/envelope.ts'
import { buildKeyring, generateMasterKeyBase64 } from '../crypto/master-key.ts'
import { ConfigSnapshot } from './schema.ts'

const keyring = buildKeyring(generateMasterKeyBase64())

const valid = {
  schemaVersion: 1,
  version: 3,
  publishedAt: new Date().toISOString(),
  teams: [{ id: 'team_1', slug: 'acme' }],
  virtualKeys: [{ id: 'vk_1', teamId: 'team_1', name: 'app', keyHash: 'a'.repeat(64) }],
  providers: [
    {
      id: 'prov_1',
      teamId: 'team_1',
      name: 'openai',
      type: 'openai',
      baseUrl: 'http://127.0.0.1:9999/v1',
      credential: seal('sk-x', keyring, 'aad'),
    },
  ],
}

describe('ConfigSnapshot', () => {
  it('accepts a minimal snapshot and fills defaults', () => {
    const parsed = ConfigSnapshot.parse(valid)
    expect(parsed.virtualKeys[0]?.allowedModels).toEqual([])
    expect(parsed.providers[0]?.timeouts.connectMs).toBe(10_000)
    expect(parsed.teams[0]?.logBodies).toBe(true)
  })

  it('refuses an unknown schema version', () => {
    expect(ConfigSnapshot.safeParse({ ...valid, schemaVersion: 2 }).success).toBe(false)
  })

  it('refuses a provider with a bad connection name or type', () => {
    const bad = { ...valid, providers: [{ ...valid.providers[0], name: 'Bad Name' }] }
    expect(ConfigSnapshot.safeParse(bad).success).toBe(false)
    const badType = { ...valid, providers: [{ ...valid.providers[0], type: 'cohere' }] }
    expect(ConfigSnapshot.safeParse(badType).success).toBe(false)
  })

  it('refuses a virtual key whose hash is not SHA-256 hex', () => {
    const bad = { ...valid, virtualKeys: [{ ...valid.virtualKeys[0], keyHash: 'sy-plaintext' }] }
    expect(ConfigSnapshot.safeParse(bad).success).toBe(false)
  })

  it('reads a snapshot from before routes as having none (the field is additive, same schemaVersion)', () => {
    expect(ConfigSnapshot.parse(valid).routes).toEqual([])
  })

  it('carries routes, and refuses one with an invalid plan or alias', () => {
    const route = { teamId: 'team_1', alias: 'support-bot', version: 2, plan: { type: 'fallback', children: [{ type: 'target', model: 'openai/gpt-4o' }] } }
    expect(ConfigSnapshot.parse({ ...valid, routes: [route] }).routes).toEqual([{ ...route, cache: null }])
    expect(ConfigSnapshot.safeParse({ ...valid, routes: [{ ...route, plan: { type: 'race', children: [] } }] }).success).toBe(false)
    expect(ConfigSnapshot.safeParse({ ...valid, routes: [{ ...route, alias: 'openai/gpt-4o' }] }).success).toBe(false)
  })
})
