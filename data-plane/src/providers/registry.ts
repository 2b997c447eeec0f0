import type { ProviderType } from '@switchyard/shared/snapshot'
import { anthropicAdapter } from './anthropic/adapter.ts'
import { azureOpenaiAdapter } from './azure-openai/adapter.ts'
import { bedrockAdapter } from './bedrock/adapter.ts'
import { googleAdapter } from './google/adapter.ts'
import { openaiAdapter } from './openai/adapter.ts'
import { openaiCompatibleAdapter } from './openai-compatible/adapter.ts'
import type { ProviderAdapter } from './types.ts'

// Provider type → adapter. Adding a provider is a folder plus one line here; the compiler
// insists every type is listed. `null` = not served yet (a clear error, never a silent failure).
export const adapters = {
  openai: openaiAdapter,
  'openai-compatible': openaiCompatibleAdapter,
  anthropic: anthropicAdapter,
  'azure-openai': azureOpenaiAdapter,
  google: googleAdapter,
  bedrock: bedrockAdapter,
} satisfies Record<ProviderType, ProviderAdapter | null>

export function adapterFor(type: ProviderType): ProviderAdapter | null {
  return adapters[type]
}
