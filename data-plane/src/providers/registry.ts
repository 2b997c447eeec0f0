import type { ProviderType } from '@switchyard/shared/snapshot'
import { anthropicAdapter } from './anthropic/adapter.ts'
import { openaiAdapter } from './openai/adapter.ts'
import type { ProviderAdapter } from './types.ts'

// Provider type → adapter. Adding a provider is a folder plus one line here; the compiler
// insists every type is listed. `null` = not served yet (a clear error, never a silent failure).
export const adapters = {
  openai: openaiAdapter,
  'openai-compatible': openaiAdapter,
  anthropic: anthropicAdapter,
  'azure-openai': null,
  google: null,
  bedrock: null,
} satisfies Record<ProviderType, ProviderAdapter | null>

export function adapterFor(type: ProviderType): ProviderAdapter | null {
  return adapters[type]
}
