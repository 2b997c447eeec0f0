import { endpointUrl } from '../endpoint.ts'
import { createOpenAIFamilyAdapter, type OpenAIOperation } from './family.ts'
import { NO_QUIRKS } from './quirks.ts'

// OpenAI itself: `<baseUrl>/chat/completions`, `/embeddings`, `/responses` (the base URL
// includes /v1, CONTRACT.md), `Authorization: Bearer <key>`. Everything else is the OpenAI
// family's (family.ts): passthrough for OpenAI clients, the translator for Anthropic clients.

export const OPENAI_PATHS: Record<OpenAIOperation, string> = { chat: '/chat/completions', embeddings: '/embeddings', responses: '/responses' }

export const openaiAdapter = createOpenAIFamilyAdapter({
  url: (provider, operation) => endpointUrl(provider, OPENAI_PATHS[operation]),
  authHeaders: (provider) => ({ authorization: `Bearer ${provider.apiKey}` }),
  quirks: () => NO_QUIRKS,
  serves: { embeddings: true, responses: true },
})
