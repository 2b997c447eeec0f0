export const PROVIDER_TYPES = ['openai', 'anthropic', 'azure-openai', 'google', 'bedrock', 'openai-compatible'] as const
export type ProviderType = (typeof PROVIDER_TYPES)[number]

/** CONTRACT.md "Provider base URLs": what each provider's own SDK takes as its base URL. */
export const DEFAULT_BASE_URLS: Record<ProviderType, string | null> = {
  openai: 'https://api.openai.com/v1',
  anthropic: 'https://api.anthropic.com',
  'azure-openai': null,
  google: 'https://generativelanguage.googleapis.com',
  bedrock: null,
  'openai-compatible': null,
}

export const CONNECTION_NAME_REGEX = /^[a-z0-9][a-z0-9-]{0,62}$/
