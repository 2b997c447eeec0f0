import { describe, expect, it } from 'vitest'
import type { RuntimeProvider } from '../../runtime/compile.ts'
import { azureOpenaiAdapter } from './adapter.ts'
import { DEFAULT_AZURE_API_VERSION } from './settings.ts'

const provider = (settings: Record<string, unknown>): RuntimeProvider => ({
  id: 'prov_az',
  teamId: 'team_1',
  name: 'azure',
  type: 'azure-openai',
  baseUrl: 'https://acme.openai.azure.com/',
  apiKey: 'az-key',
  settings,
  timeouts: { connectMs: 1, firstByteMs: 1, idleMs: 1, totalMs: 1 },
})

const input = (p: RuntimeProvider, upstreamModel: string) => ({
  provider: p,
  body: { model: `azure/${upstreamModel}`, messages: [], stream: true },
  upstreamModel,
  stream: true,
  clientWantsUsage: false,
  accept: undefined,
  clientHeaders: {},
})

describe('azure-openai adapter', () => {
  it('addresses the deployment of a model alias with the api-version, authenticating with api-key', () => {
    const p = provider({ apiVersion: '2025-01-01-preview', deployments: { 'gpt-4o': 'prod 4o' } })
    const built = azureOpenaiAdapter.buildChatRequest(input(p, 'gpt-4o'))
    expect(built.url.href).toBe('https://acme.openai.azure.com/openai/deployments/prod%204o/chat/completions?api-version=2025-01-01-preview')
    expect(built.headers['api-key']).toBe('az-key')
    expect(built.headers.authorization).toBeUndefined()
    expect(JSON.parse(String(built.body ?? ''))).toMatchObject({ model: 'gpt-4o', stream_options: { include_usage: true } })
  })

  it('falls back to the model id as deployment name and to the default api-version; embeddings alike', () => {
    const embeddings = azureOpenaiAdapter.embeddings
    if (!embeddings) throw new Error('azure serves embeddings')
    const built = embeddings.buildRequest(input(provider({}), 'text-embedding-3-small'))
    expect(built.url.href).toBe(`https://acme.openai.azure.com/openai/deployments/text-embedding-3-small/embeddings?api-version=${DEFAULT_AZURE_API_VERSION}`)
    expect(azureOpenaiAdapter.responses).toBeUndefined()
  })

  it('refuses invalid settings as a misconfigured connection', () => {
    expect(() => azureOpenaiAdapter.buildChatRequest(input(provider({ deployments: 'nope' }), 'gpt-4o'))).toThrow(/invalid Azure settings/)
  })
})
