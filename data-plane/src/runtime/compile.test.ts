import { buildKeyring, generateMasterKeyBase64, providerCredentialAad, seal } from '@switchyard/shared/crypto'
import { generateVirtualKey, hashVirtualKey } from '@switchyard/shared/keys'
import { ConfigSnapshot } from '@switchyard/shared/snapshot'
import { describe, expect, it } from 'vitest'
import { buildTestSnapshot, PROVIDER_KEY } from '../testing/gateway-fixture.ts'
import { compileSnapshot } from './compile.ts'

const keyring = buildKeyring(generateMasterKeyBase64())

describe('compileSnapshot', () => {
  it('indexes keys by hash and connections by team and name, with credentials opened', () => {
    const key = generateVirtualKey()
    const snapshot = ConfigSnapshot.parse(
      buildTestSnapshot(
        {
          version: 7,
          keys: [{ id: 'vk_1', key, allowedModels: ['fake/gpt-4o', 'other/*'], expiresAt: '2030-01-01T00:00:00Z' }],
          providers: [
            { id: 'prov_1', name: 'fake', baseUrl: null },
            { id: 'prov_2', name: 'compat', type: 'openai-compatible', baseUrl: null },
          ],
        },
        keyring,
      ),
    )
    const { runtime, issues } = compileSnapshot(snapshot, keyring)
    expect(issues).toEqual([])
    expect(runtime.version).toBe(7)
    const compiled = runtime.keysByHash.get(hashVirtualKey(key))
    expect(compiled?.allowedModels?.exact).toEqual(new Set(['fake/gpt-4o']))
    expect(compiled?.allowedModels?.connections).toEqual(new Set(['other']))
    expect(compiled?.expiresAtMs).toBe(Date.parse('2030-01-01T00:00:00Z'))
    const fake = runtime.connections.get('team_1')?.get('fake')
    expect(fake?.apiKey).toBe(PROVIDER_KEY)
    expect(fake?.baseUrl).toBe('https://api.openai.com/v1')
    expect(runtime.connections.get('team_1')?.get('compat')?.baseUrl).toBeNull()
  })

  it('leaves out a provider sealed for another record (AAD mismatch) and reports it without secrets', () => {
    const snapshot = ConfigSnapshot.parse(buildTestSnapshot({ version: 1, providers: [{ id: 'prov_1', name: 'fake', baseUrl: null }] }, keyring))
    const moved = { ...snapshot, providers: snapshot.providers.map((p) => ({ ...p, id: 'prov_other' })) }
    const { runtime, issues } = compileSnapshot(moved, keyring)
    expect(runtime.connections.get('team_1')).toBeUndefined()
    expect(issues).toEqual([{ providerId: 'prov_other', teamId: 'team_1', reason: 'sealed secret failed authentication' }])
  })

  it('parses a bedrock credential as AWS credentials JSON once, and leaves out one that is not', () => {
    const input = buildTestSnapshot(
      { version: 3, providers: [{ id: 'prov_b', name: 'aws', type: 'bedrock', baseUrl: null }, { id: 'prov_x', name: 'aws-bad', type: 'bedrock', baseUrl: null }] },
      keyring,
    )
    const aws = { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'secret', sessionToken: 'token' }
    input.providers = input.providers.map((p) => (p.id === 'prov_b' ? { ...p, credential: seal(JSON.stringify(aws), keyring, providerCredentialAad(p.teamId, p.id)) } : p))
    const { runtime, issues } = compileSnapshot(ConfigSnapshot.parse(input), keyring)
    expect(runtime.connections.get('team_1')?.get('aws')?.aws).toEqual(aws)
    expect(issues).toEqual([{ providerId: 'prov_x', teamId: 'team_1', reason: 'bedrock credential is not JSON {accessKeyId, secretAccessKey, sessionToken?}' }])
    expect(JSON.stringify(issues)).not.toContain(PROVIDER_KEY)
  })
})
